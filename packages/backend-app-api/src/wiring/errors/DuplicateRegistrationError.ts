import { CustomErrorBase } from '@plinth/errors';

/**
 * Two features claim the same plugin id, module id, extension point or
 * singleton service.
 *
 * @public
 */
export class DuplicateRegistrationError extends CustomErrorBase {
  readonly name = 'DuplicateRegistrationError' as const;

  constructor(what: string, first: string, second: string, fix: string) {
    super(`${what} is registered twice: ${first}, and ${second}. ${fix}`);
  }
}
