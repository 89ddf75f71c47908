import type { Knex } from 'knex';

/**
 * Entities never served are stitched before entities served already. In
 * an ingestion, each processed entity marks the served entities its
 * relations point at; stitched in mark order, a popular target was
 * stitched again for every batch that named it (15,000 APIs of a
 * 100,000-entity catalog, 4.7 times each). Waiting behind the first
 * stitches, the marks of an entity collapse into one stitch, while a
 * quiet catalog, with no first stitch due, still stitches them at once.
 * The partial index holds only the rows of first stitches, as the
 * processing queue's holds only its first runs.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.alterTable('stitch_queue', table => {
      table
        .boolean('first_stitch')
        .notNullable()
        .defaultTo(false)
        .comment('Whether the entity was not served when it was marked');
    });
    await knex.raw(
      `UPDATE stitch_queue AS q SET first_stitch = true
       WHERE NOT EXISTS (
         SELECT 1 FROM final_entities AS f WHERE f.entity_id = q.entity_id)`,
    );
    await knex.raw(
      `CREATE INDEX stitch_queue_first_stitch_idx ON stitch_queue (next_stitch_at)
       WHERE first_stitch`,
    );
  },
  async down(knex) {
    await knex.raw('DROP INDEX stitch_queue_first_stitch_idx');
    await knex.schema.alterTable('stitch_queue', table => {
      table.dropColumn('first_stitch');
    });
  },
};
