import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
  ServiceUnavailableError,
} from '@plinth/errors';

/** Statuses of the typed errors of `@plinth/errors` and this package, by name. */
const statusByName: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotModifiedError: 304,
  ServiceUnavailableError: 503,
  RequestBodyTooLargeError: 413,
};

/**
 * Statuses of subclasses of the typed errors, which carry names of their
 * own (such as the catalog model's `EntityValidationError`, an
 * `InputError`).
 */
const statusByBaseClass: Array<[new (message?: string) => Error, number]> = [
  [InputError, 400],
  [AuthenticationError, 401],
  [NotAllowedError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [NotModifiedError, 304],
  [ServiceUnavailableError, 503],
];

/** Statuses of the errors body-parser raises, by their `type`. */
const statusByBodyParserType: Record<string, number> = {
  'entity.too.large': 413,
  'entity.parse.failed': 400,
};

/**
 * The HTTP status that answers an error: by its `name` for typed errors
 * (so a `ForwardedError` keeps the status of its cause), by its base class
 * for their subclasses, by its `type` for
 * body-parser's errors, the `status` of other client errors that are
 * meant to be shown (`expose`, as http-errors sets it), else 500.
 */
export function toHttpStatus(error: Error): number {
  const byName = statusByName[error.name];
  if (byName !== undefined) {
    return byName;
  }
  for (const [baseClass, status] of statusByBaseClass) {
    if (error instanceof baseClass) {
      return status;
    }
  }
  const { type, status, expose } = error as {
    type?: unknown;
    status?: unknown;
    expose?: unknown;
  };
  if (typeof type === 'string' && statusByBodyParserType[type]) {
    return statusByBodyParserType[type];
  }
  if (
    expose === true &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
  ) {
    return status;
  }
  return 500;
}
