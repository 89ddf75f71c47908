import type { Knex } from 'knex';

/** deadlock_detected and serialization_failure: safe to run again. */
const retryableCodes = new Set(['40P01', '40001']);

/**
 * Runs `work` in a transaction, and runs it again in a new one when
 * PostgreSQL aborted it to break a deadlock with another writer, which
 * bulk writes by several replicas can cause however carefully they order
 * their locks.
 */
export async function runTransaction<T>(
  knex: Knex,
  work: (tx: Knex.Transaction) => Promise<T>,
  options: { attempts?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await knex.transaction(work);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (
        attempt >= attempts ||
        typeof code !== 'string' ||
        !retryableCodes.has(code)
      ) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 20 * attempt));
    }
  }
}
