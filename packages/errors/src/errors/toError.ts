import { isError } from './isError';
import { stringifyThrown } from './stringifyThrown';

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
  return new Error(`A non-error value was thrown: ${stringifyThrown(value)}`);
}
