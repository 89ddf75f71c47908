import type { Knex } from 'knex';

/**
 * A counter that moves, in the same transaction, with every change to
 * the served entities, so each replica's read cache can tell with one
 * indexed read whether anything changed. A statement trigger on
 * `final_entities` moves it, which also catches rows removed by cascades
 * from `refresh_state`; no writer can forget it.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.createTable('catalog_generation', table => {
      table.comment('Moves with every change to final_entities');
      table.integer('id').primary();
      table.bigInteger('generation').notNullable().defaultTo(0);
    });
    await knex('catalog_generation').insert({ id: 1, generation: 0 });
    await knex.raw(`
      CREATE FUNCTION catalog_bump_generation() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE catalog_generation SET generation = generation + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    await knex.raw(`
      CREATE TRIGGER final_entities_bump_generation
      AFTER INSERT OR UPDATE OR DELETE ON final_entities
      FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_generation()`);
  },
  async down(knex) {
    await knex.raw(
      'DROP TRIGGER final_entities_bump_generation ON final_entities',
    );
    await knex.raw('DROP FUNCTION catalog_bump_generation()');
    await knex.schema.dropTable('catalog_generation');
  },
};
