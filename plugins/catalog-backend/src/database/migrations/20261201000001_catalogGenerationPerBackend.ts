import type { Knex } from 'knex';

/**
 * Counts the catalog generation in one row per database backend instead
 * of one shared row, which every transaction that changed the served
 * entities held locked until it committed, so that the writers of every
 * replica waited for each other. The statement trigger on
 * `final_entities` now adds to the row of its own backend
 * (`pg_backend_pid()`), which only one transaction at a time can use; the
 * generation is the sum of the rows. The existing row 1 keeps the
 * generation reached so far and becomes the base row that readers fold
 * the rows of other backends into (no backend has the pid 1: that is
 * init's, or in a container the postmaster's).
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.raw(
      `COMMENT ON TABLE catalog_generation IS 'The catalog generation is the sum of the rows: one per database backend that changed final_entities (id = pg_backend_pid()), and the base row 1 that the others are folded into'`,
    );
    await knex.raw(`
      CREATE OR REPLACE FUNCTION catalog_bump_generation() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO catalog_generation (id, generation)
        VALUES (pg_backend_pid(), 1)
        ON CONFLICT (id) DO UPDATE
        SET generation = catalog_generation.generation + 1;
        RETURN NULL;
      END $$`);
  },
  async down(knex) {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION catalog_bump_generation() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE catalog_generation SET generation = generation + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    await knex.raw(`
      WITH folded AS (
        DELETE FROM catalog_generation WHERE id <> 1 RETURNING generation
      )
      UPDATE catalog_generation
      SET generation = generation + (SELECT COALESCE(SUM(generation), 0) FROM folded)
      WHERE id = 1`);
    await knex.raw(
      `COMMENT ON TABLE catalog_generation IS 'Moves with every change to final_entities'`,
    );
  },
};
