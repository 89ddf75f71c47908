import { InputError } from '@plinth/errors';
import express, { type Request, type RequestHandler } from 'express';
import { RequestBodyTooLargeError } from '../../errors';
import { isPrototypeKey } from '../../config';

/**
 * How much a request may hand a plugin, from `backend.http`.
 *
 * @public
 */
export interface RequestInputLimits {
  /** The largest JSON body, in bytes, after any content encoding is undone. */
  jsonBodyLimit: number;
  /** How deep objects and arrays of a JSON body may nest. */
  jsonBodyMaxDepth: number;
}

/**
 * Checks a request's URL and parses its JSON body, for the handlers of one
 * plugin; it runs after the plugin's credentials barrier, so nothing of an
 * unauthenticated request is inflated or parsed.
 *
 * @remarks
 * A URL holding an encoded NUL character is refused, as no route can store
 * or match it. A JSON body may be at most `jsonBodyLimit` bytes (a gzip
 * body counts inflated), nest at most `jsonBodyMaxDepth` levels, and hold
 * no prototype key and no NUL character; each refusal is a 4xx naming the
 * place in the body. A request whose body was read is finished, so a
 * plugin that calls `express.json()` again gets a no-op, and bodies of
 * other content types are left to the plugin.
 */
export function createRequestInputParser(
  limits: RequestInputLimits,
): RequestHandler {
  const parse = express.json({ limit: limits.jsonBodyLimit });
  return (req, res, next) => {
    if (/%00/i.test(req.originalUrl)) {
      next(
        new InputError(
          "Request rejected: its URL contains an encoded NUL character ('%00'), which no route accepts. Remove it from the path and query.",
        ),
      );
      return;
    }
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
        next(new RequestBodyTooLargeError(limits.jsonBodyLimit));
      } else if (type === 'entity.parse.failed') {
        next(
          new InputError(
            `Request body rejected: it is not valid JSON (${(error as Error).message}). Send a valid JSON document, or set another Content-Type.`,
          ),
        );
      } else if (error !== undefined) {
        next(explainParserError(error));
      } else {
        const problem = findBodyProblem(req.body, limits.jsonBodyMaxDepth);
        next(problem && new InputError(`Request body rejected: ${problem}`));
      }
    });
  };
}

/**
 * body-parser's other errors, whose messages ('Bad Request', 'content
 * encoding unsupported') do not say what to change, with one that does;
 * their status stays.
 */
function explainParserError(error: unknown): unknown {
  const { type, encoding, charset, code } = error as {
    type?: unknown;
    encoding?: unknown;
    charset?: unknown;
    code?: unknown;
  };
  let problem: string | undefined;
  if (type === 'encoding.unsupported') {
    problem = `its Content-Encoding '${String(encoding)}' is not supported. Send it uncompressed, or as gzip, deflate or br.`;
  } else if (type === 'charset.unsupported') {
    problem = `its charset '${String(charset)}' is not supported. Send it as UTF-8.`;
  } else if (type === 'request.aborted') {
    problem = 'the client ended the request before the body was complete.';
  } else if (type === 'request.size.invalid') {
    problem =
      'it is not as long as its Content-Length says. Send the length it has.';
  } else if (typeof code === 'string' && code.startsWith('Z_')) {
    problem =
      'it could not be decompressed as its Content-Encoding says. Send the encoding it has.';
  }
  if (problem && error instanceof Error) {
    error.message = `Request body rejected: ${problem}`;
  }
  return error;
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

/**
 * What makes a parsed body unfit for plugins, as the rest of a sentence, or
 * `undefined` when nothing does. The walk keeps its own stack: a body
 * nested a million levels deep parses, but would exhaust the call stack of
 * the first recursive function to touch it.
 */
function findBodyProblem(body: unknown, maxDepth: number): string | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value: body, path: '', depth: 0 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\0')) {
        return `the string at ${describePath(path)} contains a NUL character (\\u0000), which no plugin can store. Remove it.`;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    if (depth === maxDepth) {
      return `its objects and arrays nest more than ${maxDepth} levels deep, at ${describePath(path)}, more than 'backend.http.jsonBodyMaxDepth' allows. Send a flatter document.`;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        pending.push({
          value: item,
          path: `${path}[${index}]`,
          depth: depth + 1,
        }),
      );
      continue;
    }
    for (const key of Object.keys(value)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (isPrototypeKey(key)) {
        return `it has the key '${key}' at ${describePath(keyPath)}, which names an object's prototype and is refused in every request body. Rename the key.`;
      }
      if (key.includes('\0')) {
        return `a key at ${describePath(path)} contains a NUL character (\\u0000), which no plugin can store. Remove it.`;
      }
      pending.push({
        value: (value as Record<string, unknown>)[key],
        path: keyPath,
        depth: depth + 1,
      });
    }
  }
  return undefined;
}

/** Where in a body a path points, for messages; paths are cut at 100 characters. */
function describePath(path: string): string {
  if (path === '') {
    return 'the top level';
  }
  return `'${path.length > 100 ? `${path.slice(0, 100)}...` : path}'`;
}
