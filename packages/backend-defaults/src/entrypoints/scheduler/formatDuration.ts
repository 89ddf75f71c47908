const UNITS: Array<[suffix: string, ms: number]> = [
  ['H', 3600_000],
  ['M', 60_000],
];

/**
 * Writes milliseconds as a canonical ISO 8601 duration with days, hours,
 * minutes and seconds only (`P1DT2H`, `PT0.25S`), so equal durations
 * always compare equal as strings and PostgreSQL can cast them to an
 * `interval`.
 */
export function formatDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  let time = '';
  for (const [suffix, unitMs] of UNITS) {
    const amount = Math.floor(rest / unitMs);
    rest -= amount * unitMs;
    if (amount > 0) {
      time += `${amount}${suffix}`;
    }
  }
  if (rest > 0) {
    // Rounded to whole microseconds, which is PostgreSQL's precision, so
    // floating-point noise never reaches the string.
    time += `${Number((rest / 1000).toFixed(6))}S`;
  }
  const date = days > 0 ? `${days}D` : '';
  if (!date && !time) {
    return 'PT0S';
  }
  return `P${date}${time ? `T${time}` : ''}`;
}
