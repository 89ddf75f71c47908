import { CustomErrorBase } from './CustomErrorBase';

/**
 * The request conflicts with the current state of a resource; HTTP 409.
 *
 * @public
 */
export class ConflictError extends CustomErrorBase {
  readonly name = 'ConflictError' as const;
}
