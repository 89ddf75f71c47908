import { ForwardedError } from '@plinth/errors';
import type { Knex } from 'knex';
import { migration as init } from './migrations/20250701000000_init';
import { migration as catalogGeneration } from './migrations/20261124000000_catalogGeneration';

/** Where the catalog records its migrations, apart from other users of the database. */
export const CATALOG_MIGRATIONS_TABLE = 'catalog__knex_migrations';

/**
 * The migrations as modules rather than files found on disk, so they run
 * the same under ts-jest, sucrase and a bundle.
 */
const migrations: Record<string, Knex.Migration> = {
  '20250701000000_init': init,
  '20261124000000_catalogGeneration': catalogGeneration,
};

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: name => name,
  getMigration: async name => migrations[name],
};

/**
 * Brings the catalog's tables up to date. Replicas starting together wait
 * for each other's migration lock instead of failing.
 *
 * @throws {@link @plinth/errors#ForwardedError} when migrating fails, with
 *   the database error as its cause.
 */
export async function applyDatabaseMigrations(
  knex: Knex,
  options: { lockWaitMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.lockWaitMs ?? 30_000);
  for (;;) {
    try {
      await knex.migrate.latest({
        migrationSource,
        tableName: CATALOG_MIGRATIONS_TABLE,
      });
      return;
    } catch (error) {
      const locked = isLockError(error);
      if ((locked || isCreateRace(error)) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
        continue;
      }
      const fix = locked
        ? `If no other replica is migrating, a crashed one left the lock behind: set is_locked = 0 in '${CATALOG_MIGRATIONS_TABLE}_lock'.`
        : "Check that the catalog's database is reachable and that its user may create tables.";
      throw new ForwardedError(
        `Could not migrate the catalog database (migrations table '${CATALOG_MIGRATIONS_TABLE}'). ${fix}`,
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
