import type { Config, HumanDuration } from '@plinth/backend-plugin-api';
import { InvalidConfigError } from '../errors';
import { ConfigReader } from './ConfigReader';

const day = 24 * 3600_000;

/** Milliseconds per unit; a year counts 365 days and a month 30. */
const unitMs: Readonly<Record<keyof HumanDuration, number>> = {
  years: 365 * day,
  months: 30 * day,
  weeks: 7 * day,
  days: day,
  hours: 3600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

const number = String.raw`(\d+(?:[.,]\d+)?)`;
const isoPattern = new RegExp(
  `^P(?:${number}Y)?(?:${number}M)?(?:${number}W)?(?:${number}D)?` +
    `(?:T(?:${number}H)?(?:${number}M)?(?:${number}S)?)?$`,
  'i',
);
const isoUnits: ReadonlyArray<keyof HumanDuration> = [
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
];

const millisecondsPattern = /^\s*\d+(?:\.\d+)?\s*$/;

/** Options for {@link parseDuration}. */
export interface ParseDurationOptions {
  /**
   * Also read a bare number of milliseconds, as a number or a string of
   * digits (as environment values are). Config files write durations this
   * way; code should not, since a bare number hides its unit.
   * @defaultValue `false`
   */
  allowMilliseconds?: boolean;
}

/**
 * Converts a duration to milliseconds: a {@link HumanDuration} object such
 * as `{ minutes: 5 }`, an ISO 8601 string such as `PT5M` or `p1dt2h` (with
 * `.` or `,` before a fraction) and, with `allowMilliseconds`, a number of
 * milliseconds. A year counts 365 days and a month 30, so a duration is the
 * same length whenever it starts.
 *
 * @returns the milliseconds, or `undefined` when `value` is none of these
 *   or is negative.
 */
export function parseDuration(
  value: unknown,
  options?: ParseDurationOptions,
): number | undefined {
  const allowMilliseconds = options?.allowMilliseconds ?? false;
  const ms = toMilliseconds(value, allowMilliseconds);
  // Huge amounts add up to Infinity, which no timer can wait for.
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function toMilliseconds(
  value: unknown,
  allowMilliseconds: boolean,
): number | undefined {
  if (typeof value === 'number') {
    return allowMilliseconds ? value : undefined;
  }
  if (typeof value === 'string') {
    if (millisecondsPattern.test(value)) {
      return allowMilliseconds ? Number(value) : undefined;
    }
    return parseIsoDuration(value.trim());
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return parseHumanDuration(value as Record<string, unknown>);
  }
  return undefined;
}

/** Whether `name` is a field of {@link HumanDuration}, such as `minutes`. */
export function isDurationUnit(name: string): name is keyof HumanDuration {
  return Object.hasOwn(unitMs, name);
}

function parseIsoDuration(value: string): number | undefined {
  const match = isoPattern.exec(value);
  // 'P', 'PT' and 'P1DT' match the pattern, but ISO 8601 needs an amount
  // after each designator.
  if (
    !match ||
    match.slice(1).every(part => part === undefined) ||
    /T$/i.test(value)
  ) {
    return undefined;
  }
  return isoUnits.reduce((total, unit, i) => {
    const amount = match[i + 1];
    return amount === undefined
      ? total
      : total + Number(amount.replace(',', '.')) * unitMs[unit];
  }, 0);
}

function parseHumanDuration(
  value: Record<string, unknown>,
): number | undefined {
  const entries = Object.entries(value);
  if (entries.length === 0) {
    return undefined;
  }
  let total = 0;
  for (const [unit, amount] of entries) {
    if (!isDurationUnit(unit) || typeof amount !== 'number' || amount < 0) {
      return undefined;
    }
    total += amount * unitMs[unit];
  }
  return total;
}

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

/** Bytes per unit, 1024-based as Express's body limits count them. */
const unitBytes: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

const sizePattern = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i;

/**
 * Reads a size in bytes from config, written as a whole number of bytes
 * (`1048576`, or `'1048576'` as environment values are) or with a unit
 * (`'1mb'`, `'1.5 KB'`; units `b`, `kb`, `mb`, `gb`, 1024-based, any case).
 * A fraction of a byte is rounded down.
 *
 * @returns `undefined` when the key is not set.
 * @throws {@link InvalidConfigError} naming the key and the file its value
 *   came from, when the value is neither.
 */
export function readSizeFromConfig(
  config: Config,
  key: string,
): number | undefined {
  const value = config.getOptional(key);
  if (value === undefined) {
    return undefined;
  }
  const bytes = parseSize(value);
  if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes < 0) {
    throw new InvalidConfigError(
      key,
      ConfigReader.findContext(config, key),
      "a whole number of bytes or a size such as '1mb' (units b, kb, mb, gb)",
      value,
    );
  }
  return bytes;
}

function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = sizePattern.exec(value.trim());
  return match
    ? Math.floor(Number(match[1]) * unitBytes[(match[2] ?? 'b').toLowerCase()])
    : undefined;
}
