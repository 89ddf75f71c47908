import type { Knex } from 'knex';
import type { EntityJson } from './EntitiesCatalog';

/**
 * The served entity whose `metadata.uid` is `uid` (the stitcher gives each
 * entity its refresh state id as uid), or `undefined`.
 *
 * @internal
 */
export async function getEntityByUid(
  knex: Knex,
  uid: string,
): Promise<EntityJson | undefined> {
  const result = await knex.raw<{ rows: Array<{ final_entity: string }> }>(
    'SELECT final_entity FROM final_entities WHERE entity_id = ?',
    [uid],
  );
  return result.rows[0]?.final_entity;
}
