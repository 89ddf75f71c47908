import type { Knex } from 'knex';

/**
 * A lease on the events publisher's cursor, so one replica publishes at a
 * time without holding a transaction open while it publishes: a held
 * transaction kept the one PGlite connection from the events service it
 * was waiting for, and on PostgreSQL held back the feed.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.alterTable('entity_history_state', table => {
      table
        .text('lease_holder')
        .nullable()
        .comment(
          'The replica that publishes from this cursor, for the events row',
        );
      table
        .timestamp('lease_until', { useTz: true })
        .nullable()
        .comment('When another replica may take over the lease');
    });
  },
  async down(knex) {
    await knex.schema.alterTable('entity_history_state', table => {
      table.dropColumn('lease_holder');
      table.dropColumn('lease_until');
    });
  },
};
