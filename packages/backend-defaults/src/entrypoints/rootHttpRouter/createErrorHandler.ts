import { randomUUID } from 'node:crypto';
import type { Config, LoggerService } from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import type { ErrorRequestHandler, Request } from 'express';
import { SecretRedactor } from '../rootLogger/SecretRedactor';
import { findDatabaseError } from './findDatabaseError';
import { isUndecodablePath, toHttpStatus } from './toHttpStatus';

/**
 * The error response body.
 */
export interface ErrorResponseBody {
  error: {
    name: string;
    message: string;
    stack?: string;
    /** What caused a client error, as in Backstage's serialized errors. */
    cause?: ErrorCause;
  };
  request: { method: string; url: string };
  response: { statusCode: number };
}

/** One cause of an error, as an error response shows it. */
export interface ErrorCause {
  name: string;
  message: string;
  cause?: ErrorCause;
}

/** How many causes of a client error a response shows. */
const maxCauses = 5;

/**
 * The one place where errors become responses. The status comes from
 * {@link toHttpStatus}; database errors become a 500 whose message only
 * gives a log id, under which the full error is logged; every config
 * secret is replaced by `***` by the same rules as in the logs (see
 * {@link SecretRedactor}); the stack is only sent when `includeStack`.
 * A 4xx also shows the causes of its error (name and message), which say
 * why a request was refused, as Backstage's error responses do, and so
 * does a 502, whose causes describe the other server; other 5xx show
 * none, since they describe this one. 5xx are logged at error,
 * but a 502 (another server failed) at warn, and 4xx at debug.
 */
export function createErrorHandler(options: {
  config: Config;
  logger: LoggerService;
  includeStack: boolean;
}): ErrorRequestHandler {
  const { config, logger, includeStack } = options;
  const redactor = SecretRedactor.forConfig(config);
  return (thrown, req, res, next) => {
    const error = toError(thrown);
    const where = `${req.method} ${pathOf(req)}`;
    if (res.headersSent) {
      // Too late for a response of our own; the default handler ends the
      // connection so the client sees the response is incomplete.
      logger.error(`${where} failed after its response started`, error);
      next(thrown);
      return;
    }
    const statusCode = toHttpStatus(error);
    let { name, message } = error;
    let stack = includeStack ? error.stack : undefined;
    if (statusCode >= 500) {
      const databaseError = findDatabaseError(error);
      if (databaseError) {
        const logId = randomUUID();
        logger.error(
          `Internal database error with log id '${logId}' while answering ${where}`,
          error,
        );
        name = 'DatabaseError';
        message = `Internal database error; see the server log for log id '${logId}'.`;
        stack = undefined;
      } else if (statusCode === 502) {
        // A server this one read from failed: worth a look, not a bug here.
        logger.warn(`${where} failed with ${statusCode}`, error);
      } else {
        logger.error(`${where} failed with ${statusCode}`, error);
      }
    } else {
      if (isUndecodablePath(error)) {
        name = 'InputError';
        message =
          "Request rejected: its path holds a malformed percent-escape. Write '%' as '%25' where it stands for itself.";
      }
      logger.debug(`${where} answered ${statusCode}: ${message}`);
    }
    if (statusCode === 304) {
      res.status(304).end();
      return;
    }
    // A 401 goes to callers who could not prove who they are: its message
    // says what to fix, and its causes (which key algorithms a token was
    // checked against) are the server's business.
    const showsCause =
      (statusCode < 500 && statusCode !== 401) || statusCode === 502;
    const cause =
      showsCause && !isUndecodablePath(error)
        ? toErrorCause(error.cause, maxCauses, redactor)
        : undefined;
    const body: ErrorResponseBody = {
      error: {
        name,
        message: redactor.redactString(message),
        ...(stack ? { stack: redactor.redactString(stack) } : {}),
        ...(cause ? { cause } : {}),
      },
      request: {
        method: req.method,
        url: redactor.redactString(req.originalUrl),
      },
      response: { statusCode },
    };
    res.status(statusCode).json(body);
  };
}

/** The path without the query string, which may carry tokens. */
function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0];
}

function toErrorCause(
  cause: unknown,
  depth: number,
  redactor: SecretRedactor,
): ErrorCause | undefined {
  if (cause === undefined || depth === 0) {
    return undefined;
  }
  const error = toError(cause);
  const next = toErrorCause(error.cause, depth - 1, redactor);
  return {
    name: error.name,
    message: redactor.redactString(error.message),
    ...(next ? { cause: next } : {}),
  };
}
