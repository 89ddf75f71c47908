import type { Knex } from 'knex';

/**
 * The entities never processed, by when they are due: the processing
 * queue claims them before the entities due for a rerun, so that a large
 * registration is served before the catalog refreshes what it serves. The
 * index holds only those rows, so it stays small and costs a write only
 * when an entity is added and once when it is first processed.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.raw(
      `CREATE INDEX refresh_state_first_run_idx ON refresh_state (next_update_at)
       WHERE result_hash IS NULL`,
    );
  },
  async down(knex) {
    await knex.raw('DROP INDEX refresh_state_first_run_idx');
  },
};
