/*
 * Reading the entity history: the change feed in commit-safe order, the
 * history of one entity, and the entries' wire form.
 */
import type { Entity } from '@plinth/catalog-model';
import { GoneError, InputError } from '@plinth/errors';
import type { Knex } from 'knex';
import type { Operation } from 'rfc6902';
import type { ChangeSource } from './changeSource';
import { entityPatch, type PatchOmitted } from './entityPatch';

/**
 * A place in the feed: the writing transaction's id, then the row's id.
 * Rows are served in this order, and only once their transaction is older
 * than every transaction still running, so no row can later appear before
 * a position a reader already passed.
 */
export interface FeedPosition {
  txId: string;
  id: string;
}

/**
 * One change of a served entity, as the routes and the events service
 * send it.
 *
 * @public
 */
export interface EntityChange {
  /** The feed position of this change; `after` and `Last-Event-ID` take it. */
  cursor: string;
  type: 'created' | 'updated' | 'deleted';
  /** The entity's uid; a deleted entity that comes back gets a new one. */
  entityUid: string;
  /** The lowercased ref, such as `component:default/cart`. */
  entityRef: string;
  /** The served entity after the change; null when it was deleted. */
  entity: Entity | null;
  /** For deletions, the entity as it was last served. */
  lastServed?: Entity;
  /** For updates, the RFC 6902 JSON Patch from the previous served form. */
  patch?: Operation[];
  /**
   * Set instead of `patch` when an update's forms were too large to diff
   * (see `patchLimits`); `entity` still has the whole new form.
   */
  patchOmitted?: PatchOmitted;
  source: ChangeSource | null;
  /** The principal of the API call behind the change, if one was. */
  actor: string | null;
  /** When the change was committed, ISO 8601. */
  createdAt: string;
}

/** A history row, with what permission checks read. */
export interface HistoryRow {
  id: string;
  tx_id: string;
  entity_id: string;
  entity_ref: string;
  change_type: EntityChange['type'];
  entity: string | null;
  previous_entity: string | null;
  source: string | null;
  actor: string | null;
  created_at: Date | string;
}

const cursorPattern = /^(\d{1,19})-(\d{1,19})$/;
/**
 * The condition that a row's transaction ended before the statement's
 * snapshot, and so did every transaction of this database with a lower
 * id: rows whose transaction is still running are left out, and so are
 * all rows after the oldest such transaction, whose rows would otherwise
 * appear later behind a position a reader already passed.
 *
 * @remarks
 * The bound is the snapshot's oldest running transaction, as
 * `pg_snapshot_xmin` gives it, except that transactions that
 * `pg_stat_activity` shows in another database (which cannot write this
 * table) do not hold it back: on a server shared by several databases a
 * long transaction elsewhere would otherwise stall the feed. A
 * transaction that ended between the snapshot and the read of
 * `pg_stat_activity`, or whose database the role may not see, still
 * holds it back, which only delays rows.
 */
export const committedInOrder = `tx_id < LEAST(
  pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
  (SELECT MIN(running::text::bigint)
   FROM pg_snapshot_xip(pg_current_snapshot()) AS running
   WHERE running::text::bigint % 4294967296 NOT IN (
     SELECT backend_xid::text::bigint FROM pg_stat_activity
     WHERE backend_xid IS NOT NULL
       AND datname IS DISTINCT FROM current_database())))`;

export function toCursor(position: FeedPosition): string {
  return `${position.txId}-${position.id}`;
}

/** @throws InputError naming the parameter and the expected form. */
export function parseCursor(text: string, name: string): FeedPosition {
  const match = cursorPattern.exec(text);
  if (!match || !isBigint(match[1]) || !isBigint(match[2])) {
    throw new InputError(
      `Invalid ${name} '${text.slice(0, 60)}': expected a cursor such as '1234-56' from a change's 'cursor' or a page's 'nextCursor'.`,
    );
  }
  return { txId: match[1], id: match[2] };
}

const maxBigint = 2n ** 63n - 1n;

/** Whether a string of digits fits a PostgreSQL bigint. */
export function isBigint(digits: string): boolean {
  return BigInt(digits) <= maxBigint;
}

/**
 * Up to `limit` changes after `after` (from the oldest kept when absent)
 * whose transactions no running transaction can precede.
 *
 * @throws GoneError when retention removed changes after `after`, so the
 *   reader would miss some.
 */
export async function readChangeRows(
  knex: Knex,
  after: FeedPosition | undefined,
  limit: number,
): Promise<HistoryRow[]> {
  const { rows, skipped } = await readRowsAfter(knex, after, limit);
  if (skipped && after) {
    throw new GoneError(
      `Changes after cursor '${toCursor(after)}' are no longer kept: 'catalog.history.retention' removed some of them. Re-list the catalog with GET /entities, then follow GET /changes from the 'nextCursor' of a page read before the listing.`,
    );
  }
  return rows;
}

/**
 * Up to `limit` rows after `after`, and whether retention removed some
 * after it. Both come from one statement, so from one snapshot: pruning
 * moves its watermark in the statement that deletes, so a prune between
 * two reads cannot remove rows unnoticed.
 */
export async function readRowsAfter(
  knex: Knex,
  after: FeedPosition | undefined,
  limit: number,
): Promise<{ rows: HistoryRow[]; skipped: boolean }> {
  const from = after ?? { txId: '0', id: '0' };
  const result = await knex.raw<{
    rows: Array<HistoryRow & { skipped: boolean | null }>;
  }>(
    `SELECT
       (SELECT (w.tx_id, w.id) > (?::bigint, ?::bigint)
        FROM entity_history_state AS w WHERE w.name = 'pruned') AS skipped,
       h.*
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (
       SELECT * FROM entity_history
       WHERE ${committedInOrder} AND (tx_id, id) > (?::bigint, ?::bigint)
       ORDER BY tx_id, id
       LIMIT ?
     ) AS h ON true
     ORDER BY h.tx_id, h.id`,
    [from.txId, from.id, from.txId, from.id, limit],
  );
  const skipped = after !== undefined && result.rows[0]?.skipped === true;
  const rows = result.rows
    .filter(row => row.id !== null)
    .map(({ skipped: _, ...row }) => row);
  return { rows, skipped };
}

/** The newest position a feed reader may see now; undefined when none. */
export async function readFeedHead(
  knex: Knex,
): Promise<FeedPosition | undefined> {
  const result = await knex.raw<{ rows: Array<{ tx_id: string; id: string }> }>(
    `SELECT tx_id, id FROM entity_history WHERE ${committedInOrder}
     ORDER BY tx_id DESC, id DESC LIMIT 1`,
  );
  const row = result.rows[0];
  return row ? { txId: String(row.tx_id), id: String(row.id) } : undefined;
}

/** Compares feed positions as the feed orders them. */
export function comparePositions(a: FeedPosition, b: FeedPosition): number {
  const byTx = BigInt(a.txId) - BigInt(b.txId);
  if (byTx !== 0n) {
    return byTx < 0n ? -1 : 1;
  }
  const byId = BigInt(a.id) - BigInt(b.id);
  return byId === 0n ? 0 : byId < 0n ? -1 : 1;
}

/**
 * A page of one entity's history, by uid or by lowercased ref (which
 * also finds the entities of that ref deleted before), newest first
 * unless `order` is `asc`; `before`/`after` is the last row id of the
 * previous page.
 */
export async function readEntityHistoryRows(
  knex: Knex,
  options: {
    by: { entityId: string } | { entityRef: string };
    order: 'asc' | 'desc';
    afterId?: string;
    limit: number;
  },
): Promise<HistoryRow[]> {
  const [column, value] =
    'entityId' in options.by
      ? ['entity_id', options.by.entityId]
      : ['entity_ref', options.by.entityRef];
  const query = knex<HistoryRow>('entity_history')
    .where(column, value)
    .orderBy('id', options.order)
    .limit(options.limit);
  if (options.afterId) {
    query.where('id', options.order === 'asc' ? '>' : '<', options.afterId);
  }
  return query;
}

/**
 * The wire form of a row; the patch of an update is computed here, where
 * it costs only the readers, not every write, and once per row.
 */
export function toEntityChange(
  row: HistoryRow,
  options: { withPatch: boolean } = { withPatch: true },
): EntityChange {
  const entity = row.entity ? (JSON.parse(row.entity) as Entity) : null;
  const previous = row.previous_entity
    ? (JSON.parse(row.previous_entity) as Entity)
    : undefined;
  return {
    cursor: toCursor({ txId: String(row.tx_id), id: String(row.id) }),
    type: row.change_type,
    entityUid: row.entity_id,
    entityRef: row.entity_ref,
    entity,
    ...(row.change_type === 'deleted' && previous
      ? { lastServed: previous }
      : {}),
    ...(row.change_type === 'updated' &&
    row.previous_entity &&
    row.entity &&
    options.withPatch
      ? toPatchField(
          entityPatch(rowKey(row), row.previous_entity, row.entity, {
            previous,
            entity,
          }),
        )
      : {}),
    source: row.source ? (JSON.parse(row.source) as ChangeSource) : null,
    actor: row.actor,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function toPatchField(
  patch: Operation[] | PatchOmitted,
): Pick<EntityChange, 'patch' | 'patchOmitted'> {
  return typeof patch === 'string' ? { patchOmitted: patch } : { patch };
}

/** A row's identity, for caches; the commit time tells apart databases. */
function rowKey(row: HistoryRow): string {
  return `${row.tx_id}-${row.id}@${new Date(row.created_at).getTime()}`;
}
