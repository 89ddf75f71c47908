import { CustomErrorBase } from '@plinth/errors';

/**
 * `yarn new` was interrupted (Ctrl-C, or its input ended at a prompt)
 * before it finished; nothing it started is left behind.
 *
 * @public
 */
export class NewCancelledError extends CustomErrorBase {
  readonly name = 'NewCancelledError' as const;
}
