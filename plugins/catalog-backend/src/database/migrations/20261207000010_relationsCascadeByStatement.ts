import type { Knex } from 'knex';

/**
 * Relations are deleted with their originating entity by one statement
 * per delete instead of a foreign key. The key checked and locked the
 * originating `refresh_state` row once per relation inserted, some eight
 * per entity: a third of the cost of writing relations in an ingestion.
 * Nothing is lost by dropping it: relations are only written by the
 * processing write, which holds its entities' rows locked until it
 * commits, so a delete of one of them waits for the write and then
 * removes what it wrote.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.alterTable('relations', table => {
      table.dropForeign(
        ['originating_entity_id'],
        'relations_originating_entity_id_foreign',
      );
    });
    await knex.raw(
      `CREATE FUNCTION delete_originated_relations() RETURNS trigger
       LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
       BEGIN
         DELETE FROM relations
         WHERE originating_entity_id IN (SELECT entity_id FROM deleted_rows);
         RETURN NULL;
       END $$`,
    );
    await knex.raw(
      `CREATE TRIGGER refresh_state_delete_relations
       AFTER DELETE ON refresh_state
       REFERENCING OLD TABLE AS deleted_rows
       FOR EACH STATEMENT EXECUTE FUNCTION delete_originated_relations()`,
    );
  },
  async down(knex) {
    await knex.raw(
      'DROP TRIGGER refresh_state_delete_relations ON refresh_state',
    );
    await knex.raw('DROP FUNCTION delete_originated_relations()');
    await knex.raw(
      `DELETE FROM relations AS r WHERE NOT EXISTS (
         SELECT 1 FROM refresh_state AS s
         WHERE s.entity_id = r.originating_entity_id)`,
    );
    await knex.schema.alterTable('relations', table => {
      table
        .foreign(
          'originating_entity_id',
          'relations_originating_entity_id_foreign',
        )
        .references('entity_id')
        .inTable('refresh_state')
        .onDelete('CASCADE');
    });
  },
};
