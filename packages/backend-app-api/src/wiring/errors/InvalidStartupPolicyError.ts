import { CustomErrorBase } from '@plinth/errors';

/**
 * A boot failure policy in `backend.startup` has a value other than
 * `abort` or `continue`.
 *
 * @public
 */
export class InvalidStartupPolicyError extends CustomErrorBase {
  readonly name = 'InvalidStartupPolicyError' as const;

  constructor(key: string, value: unknown) {
    super(
      `Invalid config at '${key}': expected 'abort' or 'continue', got ${JSON.stringify(value)}.`,
    );
  }
}
