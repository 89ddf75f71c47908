import type { Knex } from 'knex';

/**
 * Makes the entities that emitted any of the refresh keys due for
 * processing now.
 *
 * @returns how many entities became due.
 */
export async function refreshByKeys(
  knex: Knex | Knex.Transaction,
  keys: readonly string[],
): Promise<number> {
  if (keys.length === 0) {
    return 0;
  }
  const result = await knex.raw<{ rowCount: number | null }>(
    `UPDATE refresh_state SET next_update_at = now()
     WHERE entity_id IN (
       SELECT entity_id FROM refresh_keys
       WHERE key = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json)))))`,
    [JSON.stringify([...new Set(keys)])],
  );
  return result.rowCount ?? 0;
}
