import type { Knex } from 'knex';

/** deadlock_detected and serialization_failure: safe to run again. */
const retryableCodes = new Set(['40P01', '40001']);

/**
 * Runs `work` in a transaction, and runs it again in a new one when
 * PostgreSQL aborted it to break a deadlock with another writer, which
 * bulk writes by several replicas can cause however carefully they order
 * their locks.
 *
 * With `derived`, the transaction only writes what the catalog can build
 * again from its sources (processing results, stitched entities), so it
 * commits without waiting for the WAL flush: a crash may lose its last
 * fraction of a second, which the next processing or stitching round
 * writes again, but never leaves the database inconsistent. Each commit of
 * a bulk load then costs no disk flush. It also turns off JIT compilation,
 * which the planner picks for large batch statements on freshly filled,
 * not yet analyzed tables, and which costs more than those statements.
 */
export async function runTransaction<T>(
  knex: Knex,
  work: (tx: Knex.Transaction) => Promise<T>,
  options: { attempts?: number; derived?: boolean } = {},
): Promise<T> {
  const attempts = options.attempts ?? 3;
  const run = options.derived
    ? async (tx: Knex.Transaction) => {
        await tx.raw(
          `SELECT set_config('synchronous_commit', 'off', true),
             set_config('jit', 'off', true)`,
        );
        return work(tx);
      }
    : work;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await knex.transaction(run);
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
