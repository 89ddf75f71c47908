import { CustomErrorBase } from '@plinth/errors';

/**
 * The `backend.auth` config is invalid; every problem found is listed, one
 * per line, each naming its key.
 *
 * @public
 */
export class AuthConfigError extends CustomErrorBase {
  readonly name = 'AuthConfigError' as const;

  constructor(readonly problems: readonly string[]) {
    const count =
      problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Invalid auth config: found ${count} under 'backend.auth':\n${problems.map(p => `  - ${p}`).join('\n')}`,
    );
  }
}
