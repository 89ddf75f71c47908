import type { Knex } from 'knex';

/** An entity claimed for stitching, with the ticket it had when claimed. */
export interface StitchClaim {
  entityId: string;
  ticket: string | null;
}

/**
 * Claims up to `batchSize` entities due for stitching, longest waiting
 * first, with `FOR NO KEY UPDATE SKIP LOCKED`, so replicas get disjoint rows. The
 * claim is a lease: the rows become due again after `leaseMs`, so a
 * stitcher that dies mid-way delays them but never loses them.
 */
export async function claimStitchTickets(
  knex: Knex,
  options: { batchSize: number; leaseMs: number },
): Promise<StitchClaim[]> {
  const result = await knex.raw<{
    rows: Array<{ entity_id: string; next_stitch_ticket: string | null }>;
  }>(
    `WITH due AS (
       SELECT entity_id FROM refresh_state
       WHERE next_stitch_at <= now()
       ORDER BY next_stitch_at
       LIMIT ?
       FOR NO KEY UPDATE SKIP LOCKED
     )
     UPDATE refresh_state AS r
     SET next_stitch_at = now() + CAST(? AS float8) * INTERVAL '1 millisecond'
     FROM due
     WHERE r.entity_id = due.entity_id
       AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM due))
     RETURNING r.entity_id, r.next_stitch_ticket`,
    [options.batchSize, options.leaseMs],
  );
  return result.rows.map(row => ({
    entityId: row.entity_id,
    ticket: row.next_stitch_ticket,
  }));
}
