import { isError } from './isError';

/**
 * Turns anything that was thrown into an `Error`, so callers can rely on
 * `name` and `message`; a thrown string or object becomes the message.
 *
 * @public
 */
export function toError(value: unknown): Error {
  if (isError(value)) {
    return value;
  }
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return new Error(`A non-error value was thrown: ${text}`);
}
