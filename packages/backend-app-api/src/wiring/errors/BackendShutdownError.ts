import { CustomErrorBase } from '@plinth/errors';
import { formatErrorList } from './formatErrorList';

/**
 * One or more hooks failed while the backend stopped; every other hook
 * still ran.
 *
 * @public
 */
export class BackendShutdownError extends CustomErrorBase {
  readonly name = 'BackendShutdownError' as const;

  constructor(readonly failures: readonly Error[]) {
    super(
      `Backend stopped with errors:\n${formatErrorList(failures)}\nEvery other hook ran; fix the ones above so that resources close cleanly.`,
    );
  }
}
