/*
 * The stitch queue: marking entities for stitching, claiming them, and
 * settling the claims. It is a table of its own, `stitch_queue`, with a
 * row per entity waiting for or in a stitch, so that its writes leave the
 * wide `refresh_state` rows and their indexes alone.
 *
 * Every writer locks `refresh_state` rows before `stitch_queue` rows, in
 * entity id order within each statement: a processing write holds its
 * entities' rows in `refresh_state` and marks last, and a delete of an
 * entity locks its row there before the cascade deletes its queue row.
 * Marking locks the `refresh_state` rows `FOR KEY SHARE` only, which
 * waits for deletes but not for processing writes, so marking an entity
 * that a run is writing neither waits for the run nor deadlocks with it;
 * the run marks the entity itself if its write changes it.
 */
import { isInJsonArray, splitIntoChunks, jsonRecordset } from './sqlIdioms';
import { randomUUID } from 'node:crypto';
import { firstRunsPending } from './processingQueue';
import type { Knex } from 'knex';

const chunkSize = 1000;

/**
 * Requests a stitch of entities, by lowercased ref or by id. An entity not
 * in the queue, or one a stitcher claimed, becomes due with a new ticket,
 * so a stitcher that claimed it before this call leaves it due and it is
 * stitched once more. A row already due and waiting is only locked, which
 * keeps stitchers from claiming it before this transaction commits; it is
 * not rewritten. However many calls come before a stitcher claims a row,
 * it is stitched once. Each row records whether its entity was served
 * when it was marked, which decides when it is claimed (see
 * {@link claimStitchTickets}).
 *
 * Call it inside the transaction that made the change, so the change and
 * the stitch it needs commit together. Unknown refs and ids are ignored,
 * and so are entities never processed: nothing of them is served yet, and
 * their first processing marks them.
 */
export async function markForStitching(
  tx: Knex | Knex.Transaction,
  options: { entityRefs?: Iterable<string>; entityIds?: Iterable<string> },
): Promise<void> {
  const ticket = randomUUID();
  const batches: Array<{ column: string; values: string[] }> = [
    { column: 'entity_ref', values: [...new Set(options.entityRefs ?? [])] },
    { column: 'entity_id', values: [...new Set(options.entityIds ?? [])] },
  ];
  for (const { column, values } of batches) {
    // Rows are locked in one order by every writer, against deadlocks.
    for (const chunk of splitIntoChunks(values.sort(), chunkSize)) {
      // An entity deleted meanwhile drops out of `locked` once its delete
      // commits. A conflicting row that the condition of DO UPDATE leaves
      // as it is (one already due) is locked all the same.
      await tx.raw(
        `WITH locked AS (
           SELECT entity_id FROM refresh_state
           WHERE ${isInJsonArray('??')}
             AND processed_entity IS NOT NULL
           ORDER BY entity_id
           FOR KEY SHARE
         )
         INSERT INTO stitch_queue AS q
           (entity_id, next_stitch_at, next_stitch_ticket, first_stitch)
         SELECT l.entity_id, now(), ?, NOT EXISTS (
           SELECT 1 FROM final_entities AS f WHERE f.entity_id = l.entity_id)
         FROM locked AS l
         ORDER BY l.entity_id
         ON CONFLICT (entity_id) DO UPDATE
         SET next_stitch_at = now(), next_stitch_ticket = EXCLUDED.next_stitch_ticket,
           first_stitch = EXCLUDED.first_stitch
         WHERE q.next_stitch_at > now()`,
        [column, JSON.stringify(chunk), ticket],
      );
    }
  }
}

/** An entity claimed for stitching, with the ticket it had when claimed. */
export interface StitchClaim {
  entityId: string;
  ticket: string;
}

/**
 * Claims up to `batchSize` entities due for stitching, with
 * `FOR NO KEY UPDATE SKIP LOCKED`, so replicas get disjoint rows: entities
 * not served when they were marked first, then the others, each longest
 * waiting first. The claim is a lease: the rows become due again after
 * `leaseMs`, so a stitcher that dies mid-way delays them but never loses
 * them.
 *
 * @remarks
 * An entity already served waits while entities are due for their first
 * processing (see {@link firstRunsPending}), for at most `maxDeferMs`
 * from its mark. Each batch of first runs marks the served entities its
 * relations point at: in a 100,000-entity ingestion, stitching them as
 * they came stitched 15,000 APIs 4.7 times each, once per batch naming
 * them, where waiting for the batches stitches each once with all of its
 * relations. A catalog with no first run due stitches them at once.
 */
export async function claimStitchTickets(
  knex: Knex,
  options: { batchSize: number; leaseMs: number; maxDeferMs: number },
): Promise<StitchClaim[]> {
  const result = await knex.raw<{
    rows: Array<{ entity_id: string; next_stitch_ticket: string }>;
  }>(
    `WITH first_stitch AS (
       SELECT entity_id FROM stitch_queue
       WHERE first_stitch AND next_stitch_at <= now()
       ORDER BY next_stitch_at
       LIMIT ?
       FOR NO KEY UPDATE SKIP LOCKED
     ), restitch AS (
       SELECT entity_id FROM stitch_queue
       WHERE NOT first_stitch
         AND next_stitch_at <= CASE WHEN ${firstRunsPending}
           THEN now() - CAST(? AS float8) * INTERVAL '1 millisecond'
           ELSE now() END
       ORDER BY next_stitch_at
       LIMIT (SELECT ? - count(*) FROM first_stitch)
       FOR NO KEY UPDATE SKIP LOCKED
     ), due AS (
       SELECT entity_id FROM first_stitch
       UNION ALL SELECT entity_id FROM restitch
     )
     UPDATE stitch_queue AS q
     SET next_stitch_at = now() + CAST(? AS float8) * INTERVAL '1 millisecond'
     FROM due
     WHERE q.entity_id = due.entity_id
       AND q.entity_id = ANY(ARRAY(SELECT entity_id FROM due))
     RETURNING q.entity_id, q.next_stitch_ticket`,
    [options.batchSize, options.maxDeferMs, options.batchSize, options.leaseMs],
  );
  return result.rows.map(row => ({
    entityId: row.entity_id,
    ticket: row.next_stitch_ticket,
  }));
}

/**
 * Whether any entity is due for stitching, including those that
 * {@link claimStitchTickets} defers; one probe of the queue's index.
 */
export async function hasWaitingStitches(knex: Knex): Promise<boolean> {
  const result = await knex.raw<{ rows: Array<{ waiting: boolean }> }>(
    `SELECT EXISTS (
       SELECT 1 FROM stitch_queue WHERE next_stitch_at <= now()) AS waiting`,
  );
  return result.rows[0].waiting;
}

/**
 * Makes the entities of a stitch claim whose round failed (it could not
 * read or write, as when the database restarted) due now instead of when
 * the lease lapses. Rows no longer waiting for a stitch (the round wrote
 * after all) are left alone.
 */
export async function releaseStitchClaims(
  knex: Knex,
  entityIds: readonly string[],
): Promise<void> {
  await knex.raw(
    // Rows are locked in one order by every writer, against deadlocks.
    `WITH held AS (
       SELECT entity_id FROM stitch_queue
       WHERE ${isInJsonArray('entity_id')}
         AND next_stitch_at > now()
       ORDER BY entity_id
       FOR NO KEY UPDATE
     )
     UPDATE stitch_queue SET next_stitch_at = now()
     WHERE entity_id = ANY(ARRAY(SELECT entity_id FROM held))`,
    [JSON.stringify(entityIds)],
  );
}

/**
 * Ends stitch claims: a row whose ticket is still the claimed one is
 * deleted, as its entity is no longer due; a row whose ticket changed
 * stays due. Rows that another transaction holds are skipped rather than
 * waited for, since that transaction may be waiting for this one's
 * locks; the caller tries them again once this transaction has ended.
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
       SELECT * FROM ${jsonRecordset(['entity_id', 'ticket'])}
     ), locked AS (
       SELECT q.entity_id, q.next_stitch_ticket = x.ticket AS current
       FROM stitch_queue AS q
       JOIN x ON q.entity_id = x.entity_id
       WHERE q.entity_id = ANY(ARRAY(SELECT entity_id FROM x))
       ORDER BY q.entity_id
       FOR UPDATE OF q SKIP LOCKED
     ), settled AS (
       DELETE FROM stitch_queue
       WHERE entity_id = ANY(
         ARRAY(SELECT entity_id FROM locked WHERE locked.current))
     )
     SELECT entity_id FROM locked`,
    [
      JSON.stringify(
        claims.map(c => ({ entity_id: c.entityId, ticket: c.ticket })),
      ),
    ],
  );
  const seen = new Set(result.rows.map(row => row.entity_id));
  const existing = await findQueuedRows(tx, claims, seen);
  return claims.filter(c => !seen.has(c.entityId) && existing.has(c.entityId));
}

/**
 * Of the claims not locked, those whose entity is still in the queue:
 * one whose entity was deleted, or whose row another stitcher settled
 * after this claim's lease lapsed, needs nothing.
 */
async function findQueuedRows(
  tx: Knex | Knex.Transaction,
  claims: readonly StitchClaim[],
  seen: ReadonlySet<string>,
): Promise<Set<string>> {
  const unseen = claims.filter(c => !seen.has(c.entityId));
  if (unseen.length === 0) {
    return new Set();
  }
  const result = await tx.raw<{ rows: Array<{ entity_id: string }> }>(
    `SELECT entity_id FROM stitch_queue
     WHERE ${isInJsonArray('entity_id')}`,
    [JSON.stringify(unseen.map(c => c.entityId))],
  );
  return new Set(result.rows.map(row => row.entity_id));
}
