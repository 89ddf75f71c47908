/*
 * The processing queue in `refresh_state`: claiming due entities, making
 * entities due, and the refresh keys that make them due.
 */
import { isInJsonArray, jsonRecordset } from './sqlIdioms';
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
 * no run holds, for the run `claimId`: entities never processed first,
 * then those due for a rerun, each most overdue first. A registration of
 * many entities is then served before the reruns of entities already
 * served, which a large ingestion would otherwise wait behind once its
 * first entities come due again. Claiming is one statement with
 * `FOR NO KEY UPDATE SKIP LOCKED`: replicas polling at once get disjoint
 * rows and none of them waits.
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
 * The entities' next run is set to when the claim lapses: the entities of
 * a run that never writes its results (its replica died, or its write
 * failed, as when the database restarted) are due again then, not only
 * after the processing interval, which may be hours, and a new entity is
 * served that much sooner. The write moves the next run `intervalMs` plus
 * jitter ahead (see `writeProcessingResults`).
 */
export async function claimDueEntities(
  knex: Knex,
  options: {
    claimId: string;
    batchSize: number;
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
    `WITH first_run AS (
       SELECT entity_id FROM refresh_state
       WHERE result_hash IS NULL AND next_update_at <= now()
         AND (claim_expires_at IS NULL OR claim_expires_at <= now())
       ORDER BY next_update_at
       LIMIT ?
       FOR NO KEY UPDATE SKIP LOCKED
     ), rerun AS (
       SELECT entity_id FROM refresh_state
       WHERE result_hash IS NOT NULL AND next_update_at <= now()
         AND (claim_expires_at IS NULL OR claim_expires_at <= now())
       ORDER BY next_update_at
       LIMIT (SELECT ? - count(*) FROM first_run)
       FOR NO KEY UPDATE SKIP LOCKED
     ), due AS (
       SELECT entity_id FROM first_run UNION ALL SELECT entity_id FROM rerun
     )
     UPDATE refresh_state AS r
     SET next_update_at = now() + CAST(? AS float8) * INTERVAL '1 millisecond',
       claim_id = ?,
       claim_expires_at = now() + CAST(? AS float8) * INTERVAL '1 millisecond',
       refresh_requested = false
     FROM due
     WHERE r.entity_id = due.entity_id
       AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM due))
     RETURNING r.entity_id, r.entity_ref, r.unprocessed_entity,
       r.unprocessed_hash, r.result_hash, r.cache, r.location_key`,
    [
      options.batchSize,
      options.batchSize,
      options.leaseMs,
      options.claimId,
      options.leaseMs,
    ],
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
 * A condition true while any entity waits for, or is in, its first
 * processing: one due, or one a live claim holds. Each half is a minimum
 * or maximum, which the planner reads from one end of a partial index (of
 * the first runs, of the claims) whatever its statistics say; an
 * `EXISTS` it may answer with a scan of the whole table when none is
 * pending.
 */
export const firstRunsPending = `(
  (SELECT min(next_update_at) FROM refresh_state
   WHERE result_hash IS NULL) <= now()
  OR (SELECT max(claim_expires_at) FROM refresh_state
   WHERE claim_id IS NOT NULL AND result_hash IS NULL) > now())`;

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
       WHERE ${isInJsonArray('entity_id')}
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

/**
 * Ends the claims of a run that could not write its results (its
 * transaction failed, as when the database restarted), making the
 * entities it still holds due now instead of when the lease lapses. Rows
 * that another run holds now, or whose claim the run's write did end
 * after all (a commit whose answer was lost), are left alone.
 */
export async function releaseClaims(
  knex: Knex,
  options: { claimId: string; entityIds: readonly string[] },
): Promise<void> {
  await knex.raw(
    // Rows are locked in one order by every writer, against deadlocks.
    `WITH held AS (
       SELECT entity_id FROM refresh_state
       WHERE ${isInJsonArray('entity_id')}
         AND claim_id = ?
       ORDER BY entity_id
       FOR NO KEY UPDATE
     )
     UPDATE refresh_state
     SET next_update_at = now(), claim_id = NULL, claim_expires_at = NULL,
       refresh_requested = false
     WHERE entity_id = ANY(ARRAY(SELECT entity_id FROM held))`,
    [JSON.stringify(options.entityIds), options.claimId],
  );
}

/**
 * The assignments that make a `refresh_state` row due for processing now,
 * for an `UPDATE refresh_state` whose other tables have none of these
 * columns. A row that a run holds (see `claimDueEntities`) is not made
 * due, which would let a second run overlap the first; it is marked so
 * that it is due as soon as the run's write ends the claim, or when the
 * claim lapses if the run never writes. A lapsed claim is marked too: its
 * run may still write late, and must not push the refresh an interval
 * ahead.
 */
export const dueNowAssignments = `
  next_update_at = CASE WHEN claim_expires_at > now()
    THEN LEAST(next_update_at, claim_expires_at) ELSE now() END,
  refresh_requested = claim_id IS NOT NULL`;

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
       WHERE ${isInJsonArray('entity_ref')}
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
         WHERE ${isInJsonArray('key')})
       ORDER BY entity_id
       FOR NO KEY UPDATE
     )
     UPDATE refresh_state SET ${dueNowAssignments}
     WHERE entity_id = ANY(ARRAY(SELECT entity_id FROM locked))`,
    [JSON.stringify([...new Set(keys)])],
  );
  return result.rowCount ?? 0;
}

/** Makes `refresh_keys` hold exactly the keys each entity's processing emitted. */
export async function replaceRefreshKeys(
  tx: Knex.Transaction,
  entities: ReadonlyArray<{ entityId: string; keys: readonly string[] }>,
): Promise<void> {
  if (entities.length === 0) {
    return;
  }
  await tx.raw(
    `DELETE FROM refresh_keys
     WHERE ${isInJsonArray('entity_id')}`,
    [JSON.stringify(entities.map(e => e.entityId))],
  );
  const rows = entities.flatMap(e =>
    [...new Set(e.keys)].map(key => ({ entity_id: e.entityId, key })),
  );
  if (rows.length > 0) {
    await tx.raw(
      `INSERT INTO refresh_keys (entity_id, key)
       SELECT * FROM ${jsonRecordset(['entity_id', 'key'])}`,
      [JSON.stringify(rows)],
    );
  }
}
