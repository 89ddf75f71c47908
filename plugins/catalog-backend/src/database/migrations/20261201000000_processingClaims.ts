import type { Knex } from 'knex';

/**
 * Makes a processing claim exclusive for as long as its run holds it: a
 * claim names its run and lapses at a time the run pushes ahead while it
 * works, and a refresh that arrives meanwhile is recorded instead of
 * making the entity due at once, so that no second run overlaps the first
 * and the first run's write can check that it still holds the entity.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.alterTable('refresh_state', table => {
      table
        .text('claim_id')
        .nullable()
        .comment('The processing run that holds the entity; NULL when none');
      table
        .timestamp('claim_expires_at', { useTz: true })
        .nullable()
        .comment('When the claim lapses unless its run renews it');
      table
        .boolean('refresh_requested')
        .notNullable()
        .defaultTo(false)
        .comment('A refresh came during the claimed run: due when it ends');
    });
  },
  async down(knex) {
    await knex.schema.alterTable('refresh_state', table => {
      table.dropColumns('claim_id', 'claim_expires_at', 'refresh_requested');
    });
  },
};
