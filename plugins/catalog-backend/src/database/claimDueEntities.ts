import type { Knex } from 'knex';

/** A refresh_state row claimed for processing. */
export interface ClaimedEntity {
  entityId: string;
  entityRef: string;
  unprocessedEntity: string;
  unprocessedHash: string;
  resultHash: string | null;
  cache: string | null;
  locationKey: string | null;
}

/**
 * Claims up to `batchSize` entities that are due for processing, most
 * overdue first, and moves their next run `intervalMs` plus up to 50%
 * random jitter ahead, so that entities written together spread out over
 * time. Claiming is one statement with `FOR NO KEY UPDATE SKIP LOCKED`: replicas
 * polling at once get disjoint rows and none of them waits.
 */
export async function claimDueEntities(
  knex: Knex,
  options: { batchSize: number; intervalMs: number },
): Promise<ClaimedEntity[]> {
  const result = await knex.raw<{
    rows: Array<{
      entity_id: string;
      entity_ref: string;
      unprocessed_entity: string;
      unprocessed_hash: string;
      result_hash: string | null;
      cache: string | null;
      location_key: string | null;
    }>;
  }>(
    `WITH due AS (
       SELECT entity_id FROM refresh_state
       WHERE next_update_at <= now()
       ORDER BY next_update_at
       LIMIT ?
       FOR NO KEY UPDATE SKIP LOCKED
     )
     UPDATE refresh_state AS r
     SET next_update_at = now()
       + CAST(? AS float8) * (1 + random() * 0.5) * INTERVAL '1 millisecond'
     FROM due
     WHERE r.entity_id = due.entity_id
       AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM due))
     RETURNING r.entity_id, r.entity_ref, r.unprocessed_entity,
       r.unprocessed_hash, r.result_hash, r.cache, r.location_key`,
    [options.batchSize, options.intervalMs],
  );
  return result.rows.map(row => ({
    entityId: row.entity_id,
    entityRef: row.entity_ref,
    unprocessedEntity: row.unprocessed_entity,
    unprocessedHash: row.unprocessed_hash,
    resultHash: row.result_hash,
    cache: row.cache,
    locationKey: row.location_key,
  }));
}
