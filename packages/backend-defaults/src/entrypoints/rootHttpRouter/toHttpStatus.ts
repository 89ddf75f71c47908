import { httpStatusOf, isError } from '@plinth/errors';

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
export function isUndecodablePath(error: Error): boolean {
  return (
    error instanceof URIError && (error as { status?: unknown }).status === 400
  );
}
