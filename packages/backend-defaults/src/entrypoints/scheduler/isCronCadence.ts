/**
 * Whether a stored cadence is a cron expression rather than an ISO 8601
 * duration or `manual`; durations start with `P` and cron expressions
 * never do.
 */
export function isCronCadence(cadence: string): boolean {
  return cadence !== 'manual' && !cadence.startsWith('P');
}
