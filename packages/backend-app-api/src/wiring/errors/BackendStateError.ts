import { CustomErrorBase } from '@plinth/errors';

/**
 * A backend method was called in a state that does not allow it, such as
 * `add()` after `start()`.
 *
 * @public
 */
export class BackendStateError extends CustomErrorBase {
  readonly name = 'BackendStateError' as const;
}
