import type { EventsService } from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import { runTransaction } from '../database/runTransaction';
import {
  committedInOrder,
  readFeedHead,
  toEntityChange,
  type HistoryRow,
} from './historyRows';

/**
 * The events topic on which the catalog publishes every change of a
 * served entity, in feed order; the payload is an `EntityChange`, whose
 * `cursor` also identifies the event for consumers that deduplicate.
 *
 * @public
 */
export const CATALOG_ENTITY_CHANGE_TOPIC = 'catalog.entity.change';

const batchSize = 200;

/**
 * Publishes the changes after the publisher's cursor on the events
 * service, and moves the cursor past them, in one transaction that holds
 * the cursor row: of several replicas, one publishes at a time (the
 * others skip the locked row rather than wait), and a replica that dies
 * before its commit leaves the cursor where it was, so the next one
 * publishes the batch again rather than lose it. A change is therefore
 * published once, and at least once when a replica dies mid-batch.
 *
 * @returns how many changes it published.
 */
export async function publishChanges(
  knex: Knex,
  events: EventsService,
): Promise<number> {
  return runTransaction(
    knex,
    async tx => {
      const cursor = await tx.raw<{
        rows: Array<{ tx_id: string | null; id: string | null }>;
      }>(
        `SELECT tx_id, id FROM entity_history_state WHERE name = 'events'
         FOR UPDATE SKIP LOCKED`,
      );
      if (cursor.rows.length === 0) {
        return 0;
      }
      const rows = await readBatch(tx, cursor.rows[0]);
      for (const row of rows) {
        await events.publish({
          topic: CATALOG_ENTITY_CHANGE_TOPIC,
          eventPayload: toEntityChange(row),
        });
      }
      const last = rows[rows.length - 1];
      if (last) {
        await tx('entity_history_state')
          .where({ name: 'events' })
          .update({ tx_id: last.tx_id, id: last.id });
      }
      return rows.length;
    },
    { attempts: 1 },
  );
}

/**
 * The next rows after the cursor. A cursor never set starts at the
 * changes made from now on, not at the whole history; one behind what
 * retention kept goes on from the oldest row left.
 */
async function readBatch(
  tx: Knex.Transaction,
  cursor: { tx_id: string | null; id: string | null },
): Promise<HistoryRow[]> {
  if (cursor.tx_id === null) {
    const head = await readFeedHead(tx);
    await tx('entity_history_state')
      .where({ name: 'events' })
      .update({ tx_id: head?.txId ?? 0, id: head?.id ?? 0 });
    return [];
  }
  const result = await tx.raw<{ rows: HistoryRow[] }>(
    `SELECT * FROM entity_history
     WHERE ${committedInOrder} AND (tx_id, id) > (?::bigint, ?::bigint)
     ORDER BY tx_id, id LIMIT ?`,
    [cursor.tx_id, cursor.id, batchSize],
  );
  return result.rows;
}
