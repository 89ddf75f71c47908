import type { Config } from '@plinth/backend-plugin-api';
import { ConfigReader } from './ConfigReader';
import { InvalidConfigError } from './InvalidConfigError';
import { isDurationUnit, parseDuration } from './parseDuration';

/**
 * Options for {@link readDurationFromConfig}.
 *
 * @public
 */
export interface ReadDurationFromConfigOptions {
  /**
   * Whether a duration of zero is valid; set it to `false` for intervals
   * and timeouts, which must be longer than zero.
   * @defaultValue `true`
   */
  allowZero?: boolean;
}

const forms =
  "milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S'";

/**
 * Reads a duration in milliseconds from config, written as milliseconds
 * (`30000`, or `'30000'` as environment values are), a
 * {@link @plinth/backend-plugin-api#HumanDuration} object
 * (`{ seconds: 30 }`) or an ISO 8601 string (`'PT30S'`). A year counts 365
 * days and a month 30.
 *
 * @example
 * ```ts
 * const timeoutMs =
 *   readDurationFromConfig(config, 'todo.timeout', { allowZero: false }) ?? 30_000;
 * ```
 * @returns `undefined` when the key is not set.
 * @throws {@link InvalidConfigError} naming the key and the file its value
 *   came from, when the value is none of these, is negative, or is zero
 *   and `allowZero` is `false`.
 * @public
 */
export function readDurationFromConfig(
  config: Config,
  key: string,
  options?: ReadDurationFromConfigOptions,
): number | undefined {
  const value = config.getOptional(key);
  if (value === undefined) {
    return undefined;
  }
  const isObject =
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const ms = parseDuration(
    isObject ? readDurationFields(config.getConfig(key)) : value,
    { allowMilliseconds: true },
  );
  const allowZero = options?.allowZero ?? true;
  if (ms === undefined || (ms === 0 && !allowZero)) {
    throw new InvalidConfigError(
      key,
      ConfigReader.findContext(config, key),
      allowZero
        ? `a duration: ${forms}`
        : `a duration longer than zero: ${forms}`,
      value,
    );
  }
  return ms;
}

/**
 * The fields of a duration object, each amount read as a number so that an
 * amount written as a string (as environment values are) counts, and one
 * that is no number fails with an error naming that field.
 */
function readDurationFields(fields: Config): Record<string, unknown> {
  return Object.fromEntries(
    fields
      .keys()
      .map(unit => [
        unit,
        isDurationUnit(unit) ? fields.getNumber(unit) : fields.get(unit),
      ]),
  );
}
