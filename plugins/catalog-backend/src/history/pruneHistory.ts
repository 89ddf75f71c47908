import type { Knex } from 'knex';
import { committedInOrder } from './historyRows';

const defaultBatchSize = 5000;

/**
 * Deletes one batch of the oldest history entries that retention no
 * longer keeps: older than `maxAgeMs`, or past the newest `maxEntries`.
 * It moves the `pruned` watermark (the newest position deleted) in the
 * same statement, which is how the feed answers 410 to a cursor behind
 * it instead of skipping what was deleted.
 *
 * @remarks
 * Replicas may prune at the same time: each takes rows the others have
 * not locked, and the watermark only moves forward. Only rows that feed
 * readers may already see are pruned, so the watermark never passes a
 * change still being committed, nor past the events publisher's cursor,
 * so consumers of `catalog.entity.change` miss nothing while the events
 * service is down (the history grows meanwhile instead).
 *
 * @returns how many entries it deleted; the caller runs it again until 0.
 */
export async function pruneHistory(
  knex: Knex,
  options: { maxAgeMs: number; maxEntries: number; batchSize?: number },
): Promise<number> {
  const result = await knex.raw<{ rows: Array<{ deleted: string | number }> }>(
    `WITH doomed AS (
       SELECT id FROM entity_history
       WHERE ${committedInOrder}
         AND NOT EXISTS (
           SELECT 1 FROM entity_history_state AS events
           WHERE events.name = 'events' AND events.tx_id IS NOT NULL
             AND (entity_history.tx_id, entity_history.id) > (events.tx_id, events.id))
         AND (created_at < now() - make_interval(secs => ?)
           OR (tx_id, id) <= (
             SELECT tx_id, id FROM entity_history
             ORDER BY tx_id DESC, id DESC OFFSET ? LIMIT 1))
       ORDER BY tx_id, id
       LIMIT ?
       FOR UPDATE SKIP LOCKED
     ), gone AS (
       DELETE FROM entity_history WHERE id IN (SELECT id FROM doomed)
       RETURNING tx_id, id
     ), newest AS (
       SELECT tx_id, id FROM gone ORDER BY tx_id DESC, id DESC LIMIT 1
     ), moved AS (
       UPDATE entity_history_state AS s
       SET tx_id = newest.tx_id, id = newest.id
       FROM newest
       WHERE s.name = 'pruned' AND (newest.tx_id, newest.id) > (s.tx_id, s.id)
     )
     SELECT COUNT(*) AS deleted FROM gone`,
    [
      options.maxAgeMs / 1000,
      options.maxEntries,
      options.batchSize ?? defaultBatchSize,
    ],
  );
  return Number(result.rows[0].deleted);
}
