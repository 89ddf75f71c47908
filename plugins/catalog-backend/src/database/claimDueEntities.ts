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
 * Claims up to `batchSize` entities that are due for processing and that
 * no run holds, most overdue first, for the run `claimId`. Claiming is one
 * statement with `FOR NO KEY UPDATE SKIP LOCKED`: replicas polling at once
 * get disjoint rows and none of them waits.
 *
 * @remarks
 * The claim is a lease: it holds the entities for `leaseMs`, which the run
 * extends with {@link renewClaims} while it works, and it ends when the
 * run's results are written (see `writeProcessingResults`). While it
 * holds, no other run claims the entities, and refreshes only record that
 * the entity is due again once the run ends. A replica that dies leaves
 * its claims to lapse: its entities are claimed again `leaseMs` after its
 * last renewal, or at their next run if that is later, and a late write
 * of the dead run finds its claim gone and writes nothing.
 *
 * The entities' next run is moved `intervalMs` plus up to 50% random
 * jitter ahead, so that entities written together spread out over time.
 */
export async function claimDueEntities(
  knex: Knex,
  options: {
    claimId: string;
    batchSize: number;
    intervalMs: number;
    leaseMs: number;
  },
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
         AND (claim_expires_at IS NULL OR claim_expires_at <= now())
       ORDER BY next_update_at
       LIMIT ?
       FOR NO KEY UPDATE SKIP LOCKED
     )
     UPDATE refresh_state AS r
     SET next_update_at = now()
         + CAST(? AS float8) * (1 + random() * 0.5) * INTERVAL '1 millisecond',
       claim_id = ?,
       claim_expires_at = now() + CAST(? AS float8) * INTERVAL '1 millisecond',
       refresh_requested = false
     FROM due
     WHERE r.entity_id = due.entity_id
       AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM due))
     RETURNING r.entity_id, r.entity_ref, r.unprocessed_entity,
       r.unprocessed_hash, r.result_hash, r.cache, r.location_key`,
    [options.batchSize, options.intervalMs, options.claimId, options.leaseMs],
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

/**
 * Extends the lease of the run `claimId` on those of the entities it
 * still holds to `leaseMs` from now. Rows another transaction has locked
 * are skipped rather than waited for (the run's own write may be ending
 * the claim); the next renewal covers them.
 */
export async function renewClaims(
  knex: Knex,
  options: { claimId: string; entityIds: readonly string[]; leaseMs: number },
): Promise<void> {
  await knex.raw(
    `WITH held AS (
       SELECT entity_id FROM refresh_state
       WHERE entity_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))
         AND claim_id = ?
       ORDER BY entity_id
       FOR NO KEY UPDATE SKIP LOCKED
     )
     UPDATE refresh_state
     SET claim_expires_at = now() + CAST(? AS float8) * INTERVAL '1 millisecond'
     WHERE entity_id = ANY(ARRAY(SELECT entity_id FROM held))`,
    [JSON.stringify(options.entityIds), options.claimId, options.leaseMs],
  );
}
