import { CustomErrorBase } from '@plinth/errors';

/**
 * `stop()` gave up waiting: for a start that did not finish, or for
 * shutdown hooks that did not settle within the deadline.
 *
 * @public
 */
export class ShutdownTimeoutError extends CustomErrorBase {
  readonly name = 'ShutdownTimeoutError' as const;
}
