import type { Knex } from 'knex';

/**
 * The catalog's tables. Entity refs are stored lowercased everywhere, so
 * joins and lookups are plain equality on indexed columns.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.createTable('locations', table => {
      table.comment('Locations registered through the REST API');
      table.text('id').primary().comment('A UUID');
      table.text('type').notNullable().comment("Such as 'url' or 'file'");
      table.text('target').notNullable();
      table.unique(['type', 'target'], {
        indexName: 'locations_type_target_unique',
      });
    });

    await knex.schema.createTable('refresh_state', table => {
      table.comment('Every entity known to the catalog, and its processing');
      table.text('entity_id').primary().comment('A UUID, the served uid');
      table
        .text('entity_ref')
        .notNullable()
        .unique({ indexName: 'refresh_state_entity_ref_unique' })
        .comment("Lowercased 'kind:namespace/name'");
      table
        .text('unprocessed_entity')
        .notNullable()
        .comment('The entity as its source wrote it, as JSON');
      table
        .text('unprocessed_hash')
        .notNullable()
        .comment('Hash of unprocessed_entity, to skip unchanged writes');
      table
        .text('processed_entity')
        .nullable()
        .comment('The last successfully processed entity, as JSON');
      table
        .text('result_hash')
        .nullable()
        .comment('Hash of the last processing output, to skip unchanged runs');
      table.text('cache').nullable().comment('Processor cache state, as JSON');
      table
        .timestamp('next_update_at', { useTz: true })
        .notNullable()
        .comment('When the entity is due for processing');
      table
        .timestamp('last_discovery_at', { useTz: true })
        .notNullable()
        .defaultTo(knex.fn.now())
        .comment('When a source last wrote a changed version');
      table
        .text('errors')
        .nullable()
        .comment('Errors of the last processing, as a JSON array');
      table
        .text('location_key')
        .nullable()
        .comment('Which source owns the ref; another key is a conflict');
      table
        .timestamp('next_stitch_at', { useTz: true })
        .nullable()
        .comment('When the entity is due for stitching; NULL when stitched');
      table
        .text('next_stitch_ticket')
        .nullable()
        .comment('Changes on each stitch request, to detect later requests');
      table.index(['next_update_at'], 'refresh_state_next_update_at_idx');
    });
    await knex.raw(
      'CREATE INDEX refresh_state_next_stitch_at_idx ON refresh_state (next_stitch_at) WHERE next_stitch_at IS NOT NULL',
    );

    await knex.schema.createTable('refresh_state_references', table => {
      table.comment(
        'Who emitted which entity: a provider (source_key) or a parent entity',
      );
      table.bigIncrements('id').primary();
      table
        .text('source_key')
        .nullable()
        .comment('The name of the entity provider that emitted the target');
      table
        .text('source_entity_ref')
        .nullable()
        .references('entity_ref')
        .inTable('refresh_state')
        .onDelete('CASCADE')
        .comment('The entity whose processing emitted the target');
      table
        .text('target_entity_ref')
        .notNullable()
        .references('entity_ref')
        .inTable('refresh_state')
        .onDelete('CASCADE');
      table.index(['target_entity_ref'], 'refresh_state_references_target_idx');
    });
    await knex.raw(
      `ALTER TABLE refresh_state_references ADD CONSTRAINT refresh_state_references_one_source
       CHECK ((source_key IS NULL) <> (source_entity_ref IS NULL))`,
    );
    // Partial unique indexes: each also serves lookups by its source column.
    await knex.raw(
      'CREATE UNIQUE INDEX refresh_state_references_source_key_unique ON refresh_state_references (source_key, target_entity_ref) WHERE source_key IS NOT NULL',
    );
    await knex.raw(
      'CREATE UNIQUE INDEX refresh_state_references_source_entity_unique ON refresh_state_references (source_entity_ref, target_entity_ref) WHERE source_entity_ref IS NOT NULL',
    );

    await knex.schema.createTable('relations', table => {
      table.comment('Relations emitted by the processing of an entity');
      table
        .text('originating_entity_id')
        .notNullable()
        .references('entity_id')
        .inTable('refresh_state')
        .onDelete('CASCADE')
        .comment('The entity whose processing emitted the relation');
      table.text('source_entity_ref').notNullable();
      table.text('type').notNullable();
      table.text('target_entity_ref').notNullable();
      table.index(['originating_entity_id'], 'relations_originating_idx');
      table.index(['source_entity_ref'], 'relations_source_idx');
      table.index(['target_entity_ref'], 'relations_target_idx');
    });

    await knex.schema.createTable('final_entities', table => {
      table.comment('The served entities, as stitched');
      table
        .text('entity_id')
        .primary()
        .references('entity_id')
        .inTable('refresh_state')
        .onDelete('CASCADE');
      table
        .text('entity_ref')
        .notNullable()
        .unique({ indexName: 'final_entities_entity_ref_unique' });
      table
        .text('hash')
        .notNullable()
        .comment(
          'Hash of the content; also the etag unless the source set one',
        );
      table.text('final_entity').notNullable().comment('The served JSON');
      table
        .timestamp('last_updated_at', { useTz: true })
        .notNullable()
        .comment('When the served content last changed');
    });

    await knex.schema.createTable('search', table => {
      table.comment(
        'Flattened entity fields for filters, facets and order; rows go with their final_entities row',
      );
      table.text('entity_id').notNullable();
      table.text('key').notNullable().comment('Lowercased dotted path');
      table
        .text('original_value')
        .nullable()
        .comment('The value as written; NULL when absent or too long');
      table.text('value').nullable().comment('original_value lowercased');
      table.index(['key', 'value'], 'search_key_value_idx');
      table.index(['entity_id'], 'search_entity_id_idx');
    });
    // The search rows follow their served entity by a statement trigger
    // rather than a foreign key: a stitch writes some 30 rows per entity,
    // and a foreign key check on each costs a third of the whole write.
    await knex.raw(
      `CREATE FUNCTION delete_search_rows() RETURNS trigger
       LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
       BEGIN
         DELETE FROM search WHERE entity_id IN (SELECT entity_id FROM deleted_rows);
         RETURN NULL;
       END $$`,
    );
    await knex.raw(
      `CREATE TRIGGER final_entities_delete_search_rows
       AFTER DELETE ON final_entities
       REFERENCING OLD TABLE AS deleted_rows
       FOR EACH STATEMENT EXECUTE FUNCTION delete_search_rows()`,
    );

    await knex.schema.createTable('refresh_keys', table => {
      table.comment(
        'Keys that make an entity due when a provider refreshes them',
      );
      table
        .text('entity_id')
        .notNullable()
        .references('entity_id')
        .inTable('refresh_state')
        .onDelete('CASCADE');
      table.text('key').notNullable();
      table.index(['key'], 'refresh_keys_key_idx');
      table.index(['entity_id'], 'refresh_keys_entity_id_idx');
    });
  },

  async down(knex) {
    await knex.raw(
      'DROP TRIGGER final_entities_delete_search_rows ON final_entities',
    );
    await knex.raw('DROP FUNCTION delete_search_rows()');
    for (const name of [
      'refresh_keys',
      'search',
      'final_entities',
      'relations',
      'refresh_state_references',
      'refresh_state',
      'locations',
    ]) {
      await knex.schema.dropTable(name);
    }
  },
};
