import { CustomErrorBase } from '@plinth/errors';
import { describeConfigValue } from './describeConfigValue';

/**
 * A config value has the wrong type or shape.
 *
 * @public
 */
export class InvalidConfigError extends CustomErrorBase {
  readonly name = 'InvalidConfigError' as const;

  /**
   * @param key - the full dot-separated key.
   * @param context - where the value came from, such as a file name.
   * @param expected - such as `a number`.
   * @param actual - the offending value.
   * @param options - `secret: true` describes `actual` by type only, for
   *   values that must not appear in logs.
   */
  constructor(
    readonly key: string,
    readonly context: string,
    expected: string,
    actual: unknown,
    options?: { secret?: boolean },
  ) {
    super(
      `Invalid config at '${key}' (${context}): expected ${expected}, got ${describeConfigValue(actual, options)}.`,
    );
  }
}
