import { isError } from '@plinth/errors';
import { DatabaseAcquireTimeoutError } from '../database/DatabaseAcquireTimeoutError';

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
