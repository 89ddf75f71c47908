import { randomUUID } from 'node:crypto';
import {
  isDatabaseUnavailable,
  type Config,
  type LoggerService,
} from '@plinth/backend-plugin-api';
import { httpStatusOf, isError, toError } from '@plinth/errors';
import type { ErrorRequestHandler, Request } from 'express';
import { DatabaseAcquireTimeoutError } from '../../errors';
import { SecretRedactor } from '../rootLogger/SecretRedactor';

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
 * gives a log id, under which the full error is logged, or a 503 with
 * `Retry-After` when the database was unreachable or had no free
 * connection (`isDatabaseUnavailable` of `@plinth/backend-plugin-api`); every config
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
    let statusCode = toHttpStatus(error);
    let { name, message } = error;
    let stack = includeStack ? error.stack : undefined;
    if (statusCode >= 500) {
      // A 502 names another server that failed; its socket errors are not
      // this backend's database.
      const unavailable = statusCode !== 502 && isDatabaseUnavailable(error);
      if (unavailable || findDatabaseError(error)) {
        const logId = randomUUID();
        stack = undefined;
        if (unavailable) {
          // The request was fine and will likely succeed in a moment, on
          // this replica or another; a load balancer may retry a 503.
          logger.warn(
            `Database or dependency unavailable (log id '${logId}') while answering ${where}`,
            error,
          );
          statusCode = 503;
          res.setHeader('Retry-After', '1');
          name = 'ServiceUnavailableError';
          // A refused socket does not say whose it was: pg's and fetch's
          // look alike, so the message names both.
          message = `The backend could not reach its database or another server it depends on, or had no free database connection; retry in a moment. The server log has the details under log id '${logId}'.`;
        } else {
          logger.error(
            `Internal database error with log id '${logId}' while answering ${where}`,
            error,
          );
          name = 'DatabaseError';
          message = `Internal database error; see the server log for log id '${logId}'.`;
        }
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

/**
 * Statuses of this package's errors, by name, beside those of the typed
 * errors of `@plinth/errors`.
 */
const statusByName: Record<string, number> = {
  RequestBodyTooLargeError: 413,
  // The URL reader's: the server it read from failed or did not answer.
  UrlFetchError: 502,
};

/** Statuses of the errors body-parser raises, by their `type`. */
const statusByBodyParserType: Record<string, number> = {
  'entity.too.large': 413,
  'entity.parse.failed': 400,
};

/**
 * The HTTP status that answers an error: the status of the first error in
 * its cause chain that has one, so a typed error wrapped by another layer
 * (a `ForwardedError`, or a plain `Error` with a `cause`) keeps its status
 * however it was wrapped. An error has a status by its `name` for typed
 * errors, by its base class for their subclasses (such as the catalog
 * model's `EntityValidationError`), by its `type` for body-parser's
 * errors, and by the `status` of other client errors that are meant to be
 * shown (`expose`, as http-errors sets it, or express's 400 for a path it
 * cannot decode); else 500.
 */
export function toHttpStatus(error: Error): number {
  const seen = new Set<unknown>();
  for (
    let current: unknown = error;
    isError(current) && !seen.has(current);
    current = (current as { cause?: unknown }).cause
  ) {
    seen.add(current);
    const status = ownStatus(current);
    if (status !== undefined) {
      return status;
    }
  }
  return 500;
}

function ownStatus(error: Error): number | undefined {
  const typed = statusByName[error.name] ?? httpStatusOf(error);
  if (typed !== undefined) {
    return typed;
  }
  const { type, status, expose } = error as {
    type?: unknown;
    status?: unknown;
    expose?: unknown;
  };
  if (typeof type === 'string' && statusByBodyParserType[type]) {
    return statusByBodyParserType[type];
  }
  const clientStatus =
    typeof status === 'number' && status >= 400 && status < 500;
  if (clientStatus && (expose === true || isUndecodablePath(error))) {
    return status;
  }
  return undefined;
}

/**
 * Express 5 fails a request whose path parameter is not valid
 * percent-encoding with a `URIError` that carries status 400 but no
 * `expose`.
 */
function isUndecodablePath(error: Error): boolean {
  return (
    error instanceof URIError && (error as { status?: unknown }).status === 400
  );
}

/** A SQLSTATE code, such as `42P01`. */
const sqlStatePattern = /^[0-9A-Z]{5}$/;

/**
 * The first database error in the cause chain of `error`, if any: an error
 * of PostgreSQL or PGlite (a five-character SQLSTATE `code` together with a
 * `severity` or `routine`), one of knex's own errors (named `Knex…`, such
 * as `KnexTimeoutError`), or a {@link DatabaseAcquireTimeoutError}. Their
 * messages can show SQL, table names, values, or which plugin holds the
 * embedded connection, so they must not reach a response.
 */
export function findDatabaseError(error: Error): Error | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (isError(current) && !seen.has(current)) {
    if (isDatabaseError(current)) {
      return current;
    }
    seen.add(current);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isDatabaseError(error: Error): boolean {
  if (error instanceof DatabaseAcquireTimeoutError) {
    return true;
  }
  const { code, severity, routine } = error as {
    code?: unknown;
    severity?: unknown;
    routine?: unknown;
  };
  if (
    typeof code === 'string' &&
    sqlStatePattern.test(code) &&
    (typeof severity === 'string' || typeof routine === 'string')
  ) {
    return true;
  }
  return error.name.startsWith('Knex');
}
