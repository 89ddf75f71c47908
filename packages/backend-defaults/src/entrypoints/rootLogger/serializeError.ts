import type { JsonObject } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';

/** How deep a chain of causes is followed before it is cut off. */
const maxCauseDepth = 10;

/**
 * An error as a plain object for a log line: `name`, `message`, `code` when
 * it has one (such as `ECONNREFUSED`), `stack` when asked for, and its
 * `cause` chain in the same shape. A cause that is not an error is kept as
 * its string form.
 */
export function serializeError(
  error: Error,
  options: { stack: boolean },
  depth = 0,
): JsonObject {
  const serialized: JsonObject = { name: error.name, message: error.message };
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' || typeof code === 'number') {
    serialized.code = code;
  }
  if (options.stack && typeof error.stack === 'string') {
    serialized.stack = error.stack;
  }
  if (cause !== undefined && cause !== error) {
    if (depth >= maxCauseDepth) {
      serialized.cause = '[cause chain too deep]';
    } else if (isError(cause)) {
      serialized.cause = serializeError(cause, options, depth + 1);
    } else {
      serialized.cause = describeCause(cause);
    }
  }
  return serialized;
}

/** Whether a log field has the shape {@link serializeError} produces. */
export function isSerializedError(
  value: unknown,
): value is { name: string; message: string; stack?: string; cause?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function describeCause(cause: unknown): string {
  if (typeof cause === 'object' && cause !== null) {
    try {
      return JSON.stringify(cause);
    } catch {
      return '[a cause that cannot be written as JSON]';
    }
  }
  return String(cause);
}
