import { isError } from '@plinth/errors';

/** An error as stored in `refresh_state.errors` and served in `status.items`. */
export interface StoredError {
  [key: string]: string | StoredError | undefined;
  name: string;
  message: string;
  code?: string;
  cause?: StoredError;
}

/**
 * Turns an error into plain JSON for `refresh_state.errors`: name, message,
 * a string `code` when it has one, and its causes. Stack traces stay out,
 * since entities are served to every catalog reader.
 */
export function toStoredError(error: unknown, depth = 0): StoredError {
  if (!isError(error)) {
    return { name: 'Error', message: String(error) };
  }
  const stored: StoredError = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    stored.code = code;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && depth < 5) {
    stored.cause = toStoredError(cause, depth + 1);
  }
  return stored;
}
