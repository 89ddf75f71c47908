/**
 * SQLSTATEs that say the server went away or refuses sessions for now:
 * class 08 (connection exceptions), admin, crash and startup shutdowns
 * (`57P01`-`57P03`), and too many connections (`53300`).
 */
const unavailableSqlState = /^(08...|57P0[123]|53300)$/;

/** Node's codes for a connection the database's host refused or dropped. */
const unavailableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/** Pool timeouts: knex's own, and the embedded database's. */
const poolTimeoutNames = new Set([
  'KnexTimeoutError',
  'DatabaseAcquireTimeoutError',
]);

/**
 * Whether `error`, or an error in its chain of causes, says the database
 * could not be reached or gave no connection in time (a restart, a
 * failover, a terminated session, an exhausted pool) rather than that the
 * statement itself failed: work that failed this way may succeed when
 * retried, while a statement the database rejected fails again.
 *
 * @example
 * ```ts
 * try {
 *   await knex('todos').insert(row);
 * } catch (error) {
 *   if (!isDatabaseUnavailable(error)) throw error;
 *   retryLater(row);
 * }
 * ```
 * @public
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (
    let current = error;
    current instanceof Error && !seen.has(current);
    current = (current as { cause?: unknown }).cause
  ) {
    seen.add(current);
    const { code, syscall } = current as { code?: unknown; syscall?: unknown };
    if (
      poolTimeoutNames.has(current.name) ||
      (typeof code === 'string' && unavailableSqlState.test(code)) ||
      (typeof code === 'string' &&
        typeof syscall === 'string' &&
        unavailableSocketCodes.has(code)) ||
      // node-postgres's own words for a session the server ended; it sets
      // no code on them.
      /connection terminated|connection error and is not queryable/i.test(
        current.message,
      )
    ) {
      return true;
    }
  }
  return false;
}
