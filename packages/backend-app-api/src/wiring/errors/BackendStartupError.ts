import { CustomErrorBase } from '@plinth/errors';
import { formatErrorList } from './formatErrorList';

/**
 * One or more plugins or modules failed to start under the `abort` boot
 * failure policy; each is listed with its cause.
 *
 * @public
 */
export class BackendStartupError extends CustomErrorBase {
  readonly name = 'BackendStartupError' as const;

  constructor(readonly failures: readonly Error[]) {
    super(`Backend failed to start:\n${formatErrorList(failures)}`);
  }
}
