import type { Knex } from 'knex';

/**
 * The catalog generation: it moves whenever the served entities change,
 * in the same transaction as the change.
 */
export async function readCatalogGeneration(knex: Knex): Promise<string> {
  const row = await knex('catalog_generation')
    .where('id', 1)
    .first<{ generation: string | number } | undefined>('generation');
  return String(row?.generation ?? 0);
}
