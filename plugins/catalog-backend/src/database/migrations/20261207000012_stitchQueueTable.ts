import type { Knex } from 'knex';

/**
 * The stitch queue moves out of `refresh_state` into a table of its own,
 * holding a row only while an entity waits for, or is in, a stitch. Each
 * stitch wrote the queue's columns three times (mark, claim, settle), and
 * in `refresh_state` each write copied a row of some kilobytes and added
 * an entry to each of its seven indexes, since the indexed
 * `next_stitch_at` ruled out HOT updates: in an ingestion, a third of the
 * database's time. Here a row is a few dozen bytes under two indexes, and
 * settling deletes it, which writes no new row version.
 *
 * Pending stitches, and the leases of claims in flight, are carried over.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.createTable('stitch_queue', table => {
      table.comment(
        'Entities due for stitching or being stitched; a row is deleted once its entity is stitched',
      );
      table
        .text('entity_id')
        .primary()
        .references('entity_id')
        .inTable('refresh_state')
        .onDelete('CASCADE');
      table
        .timestamp('next_stitch_at', { useTz: true })
        .notNullable()
        .comment(
          'When the entity is due for stitching; a claim moves it ahead by its lease',
        );
      table
        .text('next_stitch_ticket')
        .notNullable()
        .comment('Changes on each stitch request, to detect later requests');
    });
    await knex.raw(
      'CREATE INDEX stitch_queue_next_stitch_at_idx ON stitch_queue (next_stitch_at)',
    );
    await knex.raw(
      `INSERT INTO stitch_queue (entity_id, next_stitch_at, next_stitch_ticket)
       SELECT entity_id, next_stitch_at, COALESCE(next_stitch_ticket, 'migrated')
       FROM refresh_state
       WHERE next_stitch_at IS NOT NULL`,
    );
    await knex.raw('DROP INDEX refresh_state_next_stitch_at_idx');
    await knex.schema.alterTable('refresh_state', table => {
      table.dropColumn('next_stitch_at');
      table.dropColumn('next_stitch_ticket');
    });
  },
  async down(knex) {
    await knex.schema.alterTable('refresh_state', table => {
      table
        .timestamp('next_stitch_at', { useTz: true })
        .nullable()
        .comment('When the entity is due for stitching; NULL when stitched');
      table
        .text('next_stitch_ticket')
        .nullable()
        .comment('Changes on each stitch request, to detect later requests');
    });
    await knex.raw(
      `UPDATE refresh_state AS r
       SET next_stitch_at = q.next_stitch_at,
         next_stitch_ticket = q.next_stitch_ticket
       FROM stitch_queue AS q
       WHERE q.entity_id = r.entity_id`,
    );
    await knex.raw(
      'CREATE INDEX refresh_state_next_stitch_at_idx ON refresh_state (next_stitch_at) WHERE next_stitch_at IS NOT NULL',
    );
    await knex.schema.dropTable('stitch_queue');
  },
};
