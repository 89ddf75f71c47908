import { migrateDatabase } from '@plinth/backend-plugin-api';
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

/**
 * Brings the scheduler's tables up to date in a plugin's database. The
 * scheduler keeps its own migrations table, so it never mixes with the
 * plugin's migrations, and it migrates even when the plugin skips its own.
 *
 * @throws {@link @plinth/errors#ForwardedError} when migrating fails, with
 *   the database error as its cause.
 */
export async function migrateSchedulerTables(
  knex: Knex,
  options: { pluginId: string; lockWaitMs?: number },
): Promise<void> {
  await migrateDatabase(knex, {
    migrations,
    tableName: SCHEDULER_MIGRATIONS_TABLE,
    failure: `Could not create the scheduler tables of plugin '${options.pluginId}'`,
    fix: "Check that the plugin's database is reachable and that its user may create tables.",
    lockWaitMs: options.lockWaitMs,
  });
}
