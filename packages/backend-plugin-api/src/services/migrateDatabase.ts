import { ForwardedError } from '@plinth/errors';
import type { Knex } from 'knex';

/**
 * Options for {@link migrateDatabase}.
 *
 * @public
 */
export interface MigrateDatabaseOptions {
  /** Migrations by name; they run in the order of their names. */
  migrations: Record<string, Knex.Migration>;
  /** Where knex records what ran; its lock table is `<tableName>_lock`. */
  tableName: string;
  /** Starts the error message, such as `Could not migrate the todo database`. */
  failure: string;
  /** How to fix a failure that is not a left-over lock. */
  fix: string;
  /**
   * How long to wait for another replica's migration lock.
   * @defaultValue 30 seconds
   */
  lockWaitMs?: number;
}

/**
 * Runs a plugin's migrations from modules rather than files found on disk,
 * so they run the same under ts-jest, sucrase and a bundle. Replicas
 * starting together wait for each other's migration lock, and a race to
 * create the migrations table is retried, instead of failing.
 *
 * @example
 * ```ts
 * await migrateDatabase(knex, {
 *   migrations: { '20260101000000_init': init },
 *   tableName: 'todo__knex_migrations',
 *   failure: 'Could not migrate the todo database',
 *   fix: "Check that the database is reachable and that its user may create tables.",
 * });
 * ```
 * @throws {@link @plinth/errors#ForwardedError} when migrating fails,
 *   naming the migrations table and the fix, with the database error as
 *   its cause.
 * @public
 */
export async function migrateDatabase(
  knex: Knex,
  options: MigrateDatabaseOptions,
): Promise<void> {
  const { migrations, tableName } = options;
  const migrationSource: Knex.MigrationSource<string> = {
    getMigrations: async () => Object.keys(migrations).sort(),
    getMigrationName: name => name,
    getMigration: async name => migrations[name],
  };
  const deadline = Date.now() + (options.lockWaitMs ?? 30_000);
  for (;;) {
    try {
      await knex.migrate.latest({ migrationSource, tableName });
      return;
    } catch (error) {
      const locked = isLockError(error);
      if ((locked || isCreateRace(error)) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
        continue;
      }
      const fix = locked
        ? `If no other replica is migrating, a crashed one left the lock behind: set is_locked = 0 in '${tableName}_lock'.`
        : options.fix;
      throw new ForwardedError(
        `${options.failure} (migrations table '${tableName}'). ${fix}`,
        error,
      );
    }
  }
}

function isLockError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'MigrationLocked';
}

/**
 * Two replicas creating the migrations table at once: one of them fails
 * with duplicate_table or with a unique violation on the type catalogue.
 */
function isCreateRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P07' || code === '23505';
}
