import { ForwardedError } from '@plinth/errors';
import type { Knex } from 'knex';

/** The scheduler's table of tasks, in the plugin's own database. */
export const SCHEDULER_TASKS_TABLE = 'plinth_scheduler__tasks';
/** Where the scheduler records its own migrations, apart from the plugin's. */
export const SCHEDULER_MIGRATIONS_TABLE = 'plinth_scheduler__knex_migrations';

const migrations: Record<string, Knex.Migration> = {
  '20250601000000_create_tasks': {
    async up(knex) {
      await knex.schema.createTable(SCHEDULER_TASKS_TABLE, table => {
        table.comment('Tasks of the scheduler of this plugin, one row each');
        table.text('id').primary().comment('The task id, unique per plugin');
        table
          .text('settings_json')
          .notNullable()
          .comment('The schedule as JSON, written by the last replica');
        table
          .timestamp('next_run_start_at', { useTz: true })
          .nullable()
          .comment(
            'When the task is due; NULL until a manual task is triggered',
          );
        table
          .text('current_run_ticket')
          .nullable()
          .comment('The lease of the replica running the task, if any');
        table.timestamp('current_run_started_at', { useTz: true }).nullable();
        table
          .timestamp('current_run_expires_at', { useTz: true })
          .nullable()
          .comment('When the lease ends and another replica may take over');
      });
    },
    async down(knex) {
      await knex.schema.dropTable(SCHEDULER_TASKS_TABLE);
    },
  },
};

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: name => name,
  getMigration: async name => migrations[name],
};

/**
 * Brings the scheduler's tables up to date in a plugin's database. The
 * scheduler keeps its own migrations table, so it never mixes with the
 * plugin's migrations, and it migrates even when the plugin skips its own.
 * Replicas starting together wait for each other's migration lock.
 *
 * @throws {@link @plinth/errors#ForwardedError} when migrating fails, with
 *   the database error as its cause.
 */
export async function migrateSchedulerTables(
  knex: Knex,
  options: { pluginId: string; lockWaitMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.lockWaitMs ?? 30_000);
  for (;;) {
    try {
      await knex.migrate.latest({
        migrationSource,
        tableName: SCHEDULER_MIGRATIONS_TABLE,
      });
      return;
    } catch (error) {
      const locked = isLockError(error);
      if ((locked || isCreateRace(error)) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
        continue;
      }
      const fix = locked
        ? `If no other replica is migrating, a crashed one left the lock behind: set is_locked = 0 in '${SCHEDULER_MIGRATIONS_TABLE}_lock'.`
        : "Check that the plugin's database is reachable and that its user may create tables.";
      throw new ForwardedError(
        `Could not create the scheduler tables of plugin '${options.pluginId}' (migrations table '${SCHEDULER_MIGRATIONS_TABLE}'). ${fix}`,
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
