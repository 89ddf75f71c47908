import type { Knex } from 'knex';

/**
 * What the catalog's self-diagnosis reads and nothing else recorded:
 * since when an entity's processing has reported errors, so that errors
 * can be listed by age and paged from a partial index over the few
 * failing entities instead of a scan of every row; the entities a source
 * emitted but could not write because another location owns their ref,
 * which were only logged or added to the parent's errors before; and a
 * partial index over the claimed rows, so that counting the claims in
 * progress reads a handful of index entries.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.alterTable('refresh_state', table => {
      table
        .timestamp('errors_since', { useTz: true })
        .nullable()
        .comment(
          'Since when the processing of the entity reports errors; NULL when it reports none',
        );
    });
    await knex.raw(
      'CREATE INDEX refresh_state_errors_since_idx ON refresh_state (entity_ref) INCLUDE (errors_since) WHERE errors_since IS NOT NULL',
    );
    await knex.raw(
      'CREATE INDEX refresh_state_claimed_idx ON refresh_state (claim_expires_at) WHERE claim_id IS NOT NULL',
    );
    // Errors written before this migration count from now on.
    await knex.raw(
      `UPDATE refresh_state SET errors_since = now()
       WHERE errors IS NOT NULL AND errors <> '[]'`,
    );

    await knex.schema.createTable('location_key_conflicts', table => {
      table.comment(
        'Entities a source emitted but could not write, because another location owns their ref',
      );
      table
        .text('entity_ref')
        .notNullable()
        .references('entity_ref')
        .inTable('refresh_state')
        .onDelete('CASCADE')
        .comment('The contested entity, as its owner wrote it');
      table
        .text('source_key')
        .nullable()
        .comment('The entity provider whose entity was refused');
      table
        .text('source_entity_ref')
        .nullable()
        .references('entity_ref')
        .inTable('refresh_state')
        .onDelete('CASCADE')
        .comment('The parent whose processing emitted the refused entity');
      table
        .text('location_key')
        .nullable()
        .comment('The location key of the refused entity');
      table
        .text('existing_location_key')
        .nullable()
        .comment('The location key of the entity that owns the ref');
      table
        .timestamp('detected_at', { useTz: true })
        .notNullable()
        .defaultTo(knex.fn.now())
        .comment('When the source first emitted the refused entity');
      table.index(['entity_ref'], 'location_key_conflicts_entity_ref_idx');
    });
    await knex.raw(
      `ALTER TABLE location_key_conflicts ADD CONSTRAINT location_key_conflicts_one_source
       CHECK ((source_key IS NULL) <> (source_entity_ref IS NULL))`,
    );
    await knex.raw(
      'CREATE UNIQUE INDEX location_key_conflicts_source_key_unique ON location_key_conflicts (source_key, entity_ref) WHERE source_key IS NOT NULL',
    );
    await knex.raw(
      'CREATE UNIQUE INDEX location_key_conflicts_source_entity_unique ON location_key_conflicts (source_entity_ref, entity_ref) WHERE source_entity_ref IS NOT NULL',
    );
  },
  async down(knex) {
    await knex.schema.dropTable('location_key_conflicts');
    await knex.raw('DROP INDEX refresh_state_claimed_idx');
    await knex.raw('DROP INDEX refresh_state_errors_since_idx');
    await knex.schema.alterTable('refresh_state', table => {
      table.dropColumn('errors_since');
    });
  },
};
