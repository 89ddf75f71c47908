import { CustomErrorBase } from '@plinth/errors';
import { formatErrorList } from './formatErrorList';

/**
 * The backend's features do not fit together; every problem found before
 * any plugin was initialised is listed, one per line.
 *
 * @public
 */
export class BackendValidationError extends CustomErrorBase {
  readonly name = 'BackendValidationError' as const;

  constructor(readonly problems: readonly Error[]) {
    const count =
      problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Backend cannot start: found ${count} before initializing any plugin:\n${formatErrorList(problems)}`,
    );
  }
}
