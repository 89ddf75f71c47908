import { CustomErrorBase } from '@plinth/errors';

/**
 * A lifecycle hook threw; the message names the hook and its owner.
 *
 * @public
 */
export class LifecycleHookError extends CustomErrorBase {
  readonly name = 'LifecycleHookError' as const;

  constructor(
    readonly phase: 'startup' | 'before-shutdown' | 'shutdown',
    readonly hook: string,
    readonly owner: string,
    cause: unknown,
  ) {
    super(`The ${phase} hook ${hook} of ${owner} failed.`, cause);
  }
}
