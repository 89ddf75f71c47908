import type { Knex } from 'knex';
import { dueNowAssignments } from './scheduleProcessing';

/**
 * Makes the entities that emitted any of the refresh keys due for
 * processing now, or, for those being processed, once their run ends.
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
    // Rows are locked in one order by every writer, against deadlocks.
    `WITH locked AS (
       SELECT entity_id FROM refresh_state
       WHERE entity_id IN (
         SELECT entity_id FROM refresh_keys
         WHERE key = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json)))))
       ORDER BY entity_id
       FOR NO KEY UPDATE
     )
     UPDATE refresh_state SET ${dueNowAssignments}
     WHERE entity_id = ANY(ARRAY(SELECT entity_id FROM locked))`,
    [JSON.stringify([...new Set(keys)])],
  );
  return result.rowCount ?? 0;
}
