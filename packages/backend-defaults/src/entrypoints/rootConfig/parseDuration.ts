import type { HumanDuration } from '@plinth/backend-plugin-api';

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
