import { CustomErrorBase } from './CustomErrorBase';
import { isError } from './isError';

/**
 * Adds context to an error caught from elsewhere while keeping its type.
 *
 * @remarks
 * The `name` is taken from the cause, so an `InputError` forwarded through
 * another layer is still answered with a 400, and the message gains the
 * context of the layer that forwarded it.
 *
 * @example
 * ```ts
 * throw new ForwardedError(`Could not read location '${target}'`, error);
 * ```
 *
 * @public
 */
export class ForwardedError extends CustomErrorBase {
  readonly name: string;

  constructor(message: string, cause: unknown) {
    super(message, cause);
    this.name = isError(cause) ? cause.name : 'Error';
  }
}
