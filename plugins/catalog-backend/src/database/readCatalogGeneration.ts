import type { Knex } from 'knex';

/**
 * Past this many counter rows, a read folds them into the base row. The
 * live writers of most deployments stay below it, while the rows of
 * backends that have ended pile up past it over time.
 */
const foldAboveRows = 64;

/**
 * The catalog generation: it moves whenever the served entities change,
 * in the same transaction as the change, and never moves back.
 *
 * @remarks
 * A statement trigger on `final_entities` adds one to the counter row of
 * the writing database backend (`pg_backend_pid()`). A backend runs one
 * transaction at a time, so no two open transactions share a row and
 * writers never wait for each other, only for a moment for a fold. The
 * generation is the sum of the rows. Every commit that changed served
 * entities, cascades included, adds at least one to it, atomically with
 * the change; a fold moves amounts between rows within one transaction
 * and adds nothing; nothing else writes the table. So a read returns the
 * base amount plus the amounts of exactly the commits its snapshot sees,
 * and a read that sees a commit returns more than every read that does
 * not. A cache that keeps what it read under the generation it read
 * before therefore drops it at the first read of the generation that
 * sees any later commit: no invalidation is lost.
 *
 * When the rows have piled up, the read folds every row into the base
 * row 1 but those that transactions in progress hold, in one statement
 * that skips locked rows (and does nothing while another replica folds),
 * so it waits for nobody.
 */
export async function readCatalogGeneration(knex: Knex): Promise<string> {
  const result = await knex.raw<{
    rows: Array<{ generation: string | number | null; rows: string | number }>;
  }>(
    'SELECT SUM(generation) AS generation, COUNT(*) AS rows FROM catalog_generation',
  );
  const [{ generation, rows }] = result.rows;
  if (Number(rows) > foldAboveRows) {
    await foldCounters(knex);
  }
  return String(generation ?? 0);
}

async function foldCounters(knex: Knex): Promise<void> {
  await knex.raw(
    `WITH base AS (
       SELECT id FROM catalog_generation WHERE id = 1
       FOR UPDATE SKIP LOCKED
     ), folded AS (
       DELETE FROM catalog_generation
       WHERE id IN (
         SELECT id FROM catalog_generation
         WHERE id <> 1 AND EXISTS (SELECT 1 FROM base)
         FOR UPDATE SKIP LOCKED)
       RETURNING generation
     )
     UPDATE catalog_generation
     SET generation = generation
       + (SELECT COALESCE(SUM(generation), 0) FROM folded)
     WHERE id IN (SELECT id FROM base)`,
  );
}
