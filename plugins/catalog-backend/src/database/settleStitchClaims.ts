import type { Knex } from 'knex';
import type { StitchClaim } from './claimStitchTickets';

/**
 * Ends stitch claims: a row whose ticket is still the claimed one is no
 * longer due; a row whose ticket changed stays due. Rows that another
 * transaction holds are skipped rather than waited for, since that
 * transaction may be waiting for this one's locks; the caller tries them
 * again once this transaction has ended.
 *
 * @returns the claims that could not be settled because their row was
 *   locked.
 */
export async function settleStitchClaims(
  tx: Knex | Knex.Transaction,
  claims: readonly StitchClaim[],
): Promise<StitchClaim[]> {
  if (claims.length === 0) {
    return [];
  }
  const result = await tx.raw<{ rows: Array<{ entity_id: string }> }>(
    `WITH x AS (
       SELECT * FROM json_to_recordset(CAST(? AS json))
         AS x(entity_id text, ticket text)
     ), locked AS (
       SELECT r.entity_id,
         r.next_stitch_ticket IS NOT DISTINCT FROM x.ticket AS current
       FROM refresh_state AS r
       JOIN x ON r.entity_id = x.entity_id
       WHERE r.entity_id = ANY(ARRAY(SELECT entity_id FROM x))
       ORDER BY r.entity_id
       FOR NO KEY UPDATE OF r SKIP LOCKED
     ), settled AS (
       UPDATE refresh_state AS r
       SET next_stitch_at = NULL, next_stitch_ticket = NULL
       FROM locked
       WHERE r.entity_id = locked.entity_id AND locked.current
         AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM locked))
     )
     SELECT entity_id FROM locked`,
    [
      JSON.stringify(
        claims.map(c => ({ entity_id: c.entityId, ticket: c.ticket })),
      ),
    ],
  );
  const seen = new Set(result.rows.map(row => row.entity_id));
  const existing = await findExistingRows(tx, claims, seen);
  return claims.filter(c => !seen.has(c.entityId) && existing.has(c.entityId));
}

/** Of the claims not locked, those whose row still exists (deleted rows need nothing). */
async function findExistingRows(
  tx: Knex | Knex.Transaction,
  claims: readonly StitchClaim[],
  seen: ReadonlySet<string>,
): Promise<Set<string>> {
  const unseen = claims.filter(c => !seen.has(c.entityId));
  if (unseen.length === 0) {
    return new Set();
  }
  const result = await tx.raw<{ rows: Array<{ entity_id: string }> }>(
    `SELECT entity_id FROM refresh_state
     WHERE entity_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))`,
    [JSON.stringify(unseen.map(c => c.entityId))],
  );
  return new Set(result.rows.map(row => row.entity_id));
}
