import { CustomErrorBase } from '@plinth/errors';

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
   */
  constructor(
    readonly key: string,
    readonly context: string,
    expected: string,
    actual: unknown,
  ) {
    super(
      `Invalid config at '${key}' (${context}): expected ${expected}, got ${describeConfigValue(actual)}.`,
    );
  }
}

function describeConfigValue(value: unknown): string {
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value !== null && typeof value === 'object') {
    return 'an object';
  }
  return JSON.stringify(value);
}
