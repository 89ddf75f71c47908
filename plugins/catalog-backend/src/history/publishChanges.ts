import type { LoggerService } from '@plinth/backend-plugin-api';
import type { EventsService } from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import {
  readFeedHead,
  readRowsAfter,
  toCursor,
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
/** Long enough for a batch; a replica that dies is replaced after it. */
const leaseSeconds = 60;

interface Cursor {
  tx_id: string | null;
  id: string | null;
}

/**
 * Publishes the changes after the publisher's cursor on the events
 * service and moves the cursor past them. Of several replicas, the one
 * holding the lease on the cursor row publishes (the others skip the
 * round); the lease is taken, the batch read, and the cursor moved each
 * in a short statement of its own, so no transaction stays open while the
 * events service works (it may need the same connection, as on PGlite).
 * A replica that dies mid-batch leaves the cursor where it was, so the
 * next holder publishes the batch again rather than lose it: a change is
 * published once, and at least once when a replica dies.
 *
 * @param options - `holder` identifies this replica's publisher, for the
 *   lease
 * @returns how many changes it published.
 */
export async function publishChanges(
  knex: Knex,
  events: EventsService,
  options: { holder: string; logger: LoggerService },
): Promise<number> {
  const { holder, logger } = options;
  const cursor = await takeLease(knex, holder);
  if (!cursor) {
    return 0;
  }
  if (cursor.tx_id === null || cursor.id === null) {
    // A cursor never set starts at the changes made from now on, not at
    // the whole history.
    const head = await readFeedHead(knex);
    await moveCursor(knex, holder, cursor, {
      tx_id: head?.txId ?? '0',
      id: head?.id ?? '0',
    });
    return 0;
  }
  const rows = await readBatch(knex, cursor, logger);
  // All at once, in feed order: an events service that batches concurrent
  // publishes (the default one does) stores a batch in one write instead
  // of one transaction per change, and keeps their order.
  await Promise.all(
    rows.map(row =>
      events.publish({
        topic: CATALOG_ENTITY_CHANGE_TOPIC,
        eventPayload: toEntityChange(row),
      }),
    ),
  );
  const last = rows[rows.length - 1];
  if (last) {
    await moveCursor(knex, holder, cursor, { tx_id: last.tx_id, id: last.id });
  }
  return rows.length;
}

/**
 * Gives up this replica's lease as it stops, so another replica publishes
 * at once instead of after the lease runs out.
 */
export async function releasePublisherLease(
  knex: Knex,
  holder: string,
): Promise<void> {
  await knex('entity_history_state')
    .where({ name: 'events', lease_holder: holder })
    .update({ lease_holder: null, lease_until: null });
}

/** The cursor, if this replica holds (or now took) the lease on it. */
async function takeLease(
  knex: Knex,
  holder: string,
): Promise<Cursor | undefined> {
  const result = await knex.raw<{ rows: Cursor[] }>(
    `UPDATE entity_history_state
     SET lease_holder = ?, lease_until = now() + make_interval(secs => ?)
     WHERE name = 'events'
       AND (lease_holder IS NULL OR lease_holder = ? OR lease_until < now())
     RETURNING tx_id::text AS tx_id, id::text AS id`,
    [holder, leaseSeconds, holder],
  );
  return result.rows[0];
}

/**
 * Moves the cursor from `from` to `to` if this replica still holds the
 * lease and nobody moved it meanwhile, and renews the lease.
 */
async function moveCursor(
  knex: Knex,
  holder: string,
  from: Cursor,
  to: { tx_id: string; id: string },
): Promise<void> {
  await knex('entity_history_state')
    .where({ name: 'events', lease_holder: holder })
    .andWhereRaw('tx_id IS NOT DISTINCT FROM ?::bigint', [from.tx_id])
    .andWhereRaw('id IS NOT DISTINCT FROM ?::bigint', [from.id])
    .update({
      tx_id: to.tx_id,
      id: to.id,
      lease_until: knex.raw('now() + make_interval(secs => ?)', [leaseSeconds]),
    });
}

/**
 * The next rows after the cursor. Pruning keeps what the cursor has not
 * passed, so a cursor behind what retention kept means the history was
 * pruned by other means (or before that rule); the publisher then goes on
 * from the oldest row left and says what consumers missed.
 */
async function readBatch(
  knex: Knex,
  cursor: Cursor,
  logger: LoggerService,
): Promise<HistoryRow[]> {
  const after = { txId: String(cursor.tx_id), id: String(cursor.id) };
  const { rows, skipped } = await readRowsAfter(knex, after, batchSize);
  if (skipped) {
    logger.error(
      `Some catalog changes after cursor '${toCursor(after)}' were removed from the history before they were published on '${CATALOG_ENTITY_CHANGE_TOPIC}'; consumers missed them and should re-list the catalog with GET /entities. Publishing goes on from the oldest change left.`,
    );
  }
  return rows;
}
