import type { Knex } from 'knex';

/**
 * The assignments that make a `refresh_state` row due for processing now,
 * for an `UPDATE refresh_state` whose other tables have none of these
 * columns. A row that a run holds (see `claimDueEntities`) is not made
 * due, which would let a second run overlap the first; it is marked so
 * that it is due as soon as the run's write ends the claim, or when the
 * claim lapses if the run never writes.
 */
export const dueNowAssignments = `
  next_update_at = CASE WHEN claim_expires_at > now()
    THEN LEAST(next_update_at, claim_expires_at) ELSE now() END,
  refresh_requested = COALESCE(claim_expires_at > now(), false)`;

/**
 * Makes entities due for processing now, or, for those being processed,
 * once their run ends (see {@link dueNowAssignments}).
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
    // Rows are locked in one order by every writer, against deadlocks.
    `WITH locked AS (
       SELECT entity_id FROM refresh_state
       WHERE entity_ref = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))
       ORDER BY entity_id
       FOR NO KEY UPDATE
     )
     UPDATE refresh_state SET ${dueNowAssignments}
     WHERE entity_id = ANY(ARRAY(SELECT entity_id FROM locked))
     RETURNING entity_ref`,
    [JSON.stringify([...new Set(entityRefs)])],
  );
  return result.rows.map(row => row.entity_ref);
}
