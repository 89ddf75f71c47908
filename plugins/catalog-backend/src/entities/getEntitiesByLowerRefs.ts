import type { Knex } from 'knex';
import type { EntityJson } from './EntitiesCatalog';

/**
 * The served entities with these lowercased refs, by ref; the hot path of
 * `GET /entities/by-name`, batched by {@link BatchedLookup}, one lookup on
 * the unique ref index.
 *
 * @internal
 */
export async function getEntitiesByLowerRefs(
  knex: Knex,
  lowerRefs: string[],
): Promise<Map<string, EntityJson>> {
  const rows = await knex('final_entities')
    .whereIn('entity_ref', lowerRefs)
    .select<Array<{ entity_ref: string; final_entity: string }>>(
      'entity_ref',
      'final_entity',
    );
  return new Map(rows.map(row => [row.entity_ref, row.final_entity]));
}
