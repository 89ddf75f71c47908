import { InputError } from '@plinth/errors';
import express, { type Request, type RequestHandler } from 'express';
import { RequestBodyTooLargeError } from './RequestBodyTooLargeError';

/**
 * Parses JSON request bodies up to `limit` bytes, turning body-parser's
 * errors into typed errors with messages that say how to fix the request.
 * A request whose body was read is finished, so a plugin that calls
 * `express.json()` again gets a no-op.
 */
export function createJsonBodyParser(limit: number): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    // Requests without a body pass untouched: the parser would set
    // `req.body` to undefined, which it already is, and a request object
    // that gains a property becomes slower for everything done with it.
    if (!hasBody(req)) {
      next();
      return;
    }
    parse(req, res, (error?: unknown) => {
      const type = (error as { type?: unknown } | undefined)?.type;
      if (type === 'entity.too.large') {
        next(new RequestBodyTooLargeError(limit, error));
      } else if (type === 'entity.parse.failed') {
        next(
          new InputError(
            `Request body rejected: it is not valid JSON (${(error as Error).message}). Send a valid JSON document, or set another Content-Type.`,
            error,
          ),
        );
      } else {
        next(error);
      }
    });
  };
}

/**
 * Whether a request has a body, by the test body-parser uses: a
 * Transfer-Encoding header, or a Content-Length that is a number.
 */
function hasBody(req: Request): boolean {
  const { headers } = req;
  return (
    headers['transfer-encoding'] !== undefined ||
    !isNaN(Number(headers['content-length']))
  );
}
