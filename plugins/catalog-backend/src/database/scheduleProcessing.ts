import type { Knex } from 'knex';

/**
 * Makes entities due for processing now.
 *
 * @param entityRefs - lowercased.
 * @returns the refs of the entities that exist.
 */
export async function scheduleProcessing(
  knex: Knex | Knex.Transaction,
  entityRefs: readonly string[],
): Promise<string[]> {
  if (entityRefs.length === 0) {
    return [];
  }
  const result = await knex.raw<{ rows: Array<{ entity_ref: string }> }>(
    `UPDATE refresh_state SET next_update_at = now()
     WHERE entity_ref = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))
     RETURNING entity_ref`,
    [JSON.stringify([...new Set(entityRefs)])],
  );
  return result.rows.map(row => row.entity_ref);
}
