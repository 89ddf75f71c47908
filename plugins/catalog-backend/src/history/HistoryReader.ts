import type { BackstageCredentials } from '@plinth/backend-plugin-api';
import type { Entity } from '@plinth/catalog-model';
import { catalogEntityReadPermission } from '@plinth/plugin-catalog-node/alpha';
import type { Knex } from 'knex';
import type { EntityPermissionFilter } from '../entities/EntitiesCatalog';
import type {
  CatalogPermissionGuard,
  DecisionRecorder,
} from '../permissions/CatalogPermissionGuard';
import { buildEntitySearch } from '../stitching/buildEntitySearch';
import {
  readChangeRows,
  readEntityHistoryRows,
  toCursor,
  toEntityChange,
  type EntityChange,
  type FeedPosition,
  type HistoryRow,
} from './historyRows';

/** Whether the caller may read a served form (JSON) of an entity. */
export type ReadableCheck = (entityJson: string) => boolean;

/** A page of the change feed. */
export interface ChangePage {
  items: EntityChange[];
  /** Where the next page starts; the same cursor when nothing was new. */
  nextCursor: string | null;
}

/**
 * Reads the history with the caller's `catalog.entity.read` decision, the
 * one the entity reads use: a reader sees only the changes of entities it
 * may read, judged on the served form after the change (or, for a
 * deletion, the last one served).
 *
 * @remarks
 * Conditional decisions are applied in memory to the search rows the
 * stitcher would build from that form, exactly as the reads apply them in
 * SQL to the stored search rows, so both answer alike whatever the
 * conditions; a deleted entity has no stored rows left to query.
 */
export class HistoryReader {
  readonly #knex: Knex;
  readonly #guard: CatalogPermissionGuard;
  readonly #maxPageBytes: number;

  constructor(options: {
    knex: Knex;
    guard: CatalogPermissionGuard;
    /** Bounds the JSON of one feed page or event batch; 1 MiB by default. */
    maxPageBytes?: number;
  }) {
    this.#knex = options.knex;
    this.#guard = options.guard;
    this.#maxPageBytes = options.maxPageBytes ?? 1024 * 1024;
  }

  /** The check of the caller's read decision, asked once per request. */
  async readableCheck(
    credentials: BackstageCredentials,
    recorder?: DecisionRecorder,
  ): Promise<ReadableCheck> {
    const filter = await this.#guard.entityFilter(
      catalogEntityReadPermission,
      credentials,
      recorder,
    );
    if (!filter) {
      return () => true;
    }
    return json =>
      matchesFilter(filter, searchKeys(JSON.parse(json) as Entity));
  }

  /**
   * The changes after `after` the caller may read, from up to `limit`
   * rows and about `maxPageBytes` of JSON (always at least one change);
   * `nextCursor` moves past the rows it may not read too. `more` says the
   * page ended on a bound, so the next one may follow at once.
   */
  async readChanges(
    readable: ReadableCheck,
    after: FeedPosition | undefined,
    limit: number,
  ): Promise<ChangePage & { more: boolean }> {
    const rows = await readChangeRows(this.#knex, after, limit);
    const items: EntityChange[] = [];
    let bytes = 0;
    let next = after;
    for (const row of rows) {
      const [item] = present([row], readable);
      if (item) {
        const size = Buffer.byteLength(JSON.stringify(item));
        if (items.length > 0 && bytes + size > this.#maxPageBytes) {
          return {
            items,
            nextCursor: next ? toCursor(next) : null,
            more: true,
          };
        }
        bytes += size;
        items.push(item);
      }
      next = { txId: String(row.tx_id), id: String(row.id) };
    }
    return {
      items,
      nextCursor: next ? toCursor(next) : null,
      more: rows.length === limit,
    };
  }

  /**
   * A page of one entity's history. Entries the caller may not read are
   * left out; `undefined` when it may read none of the entity's entries,
   * whatever the cursor, so the route answers 404 as for an entity that
   * never existed and neither the page nor its `nextCursor` tells that
   * the entity exists or how long its history is.
   */
  async readEntityHistory(
    readable: ReadableCheck,
    options: Parameters<typeof readEntityHistoryRows>[1],
  ): Promise<{ items: EntityChange[]; nextCursor: string | null } | undefined> {
    const rows = await readEntityHistoryRows(this.#knex, options);
    const items = present(rows, readable);
    if (items.length === 0 && !(await this.#readsAny(readable, options.by))) {
      return undefined;
    }
    const last = rows[rows.length - 1];
    return {
      items,
      nextCursor:
        rows.length === options.limit && last ? String(last.id) : null,
    };
  }

  /**
   * Whether the caller may read any entry of the entity, newest first.
   * Past `readableScanLimit` entries it answers no: a reader that could
   * read only entries older than those gets a 404, which tells nothing.
   */
  async #readsAny(
    readable: ReadableCheck,
    by: Parameters<typeof readEntityHistoryRows>[1]['by'],
  ): Promise<boolean> {
    let afterId: string | undefined;
    for (let scanned = 0; scanned < readableScanLimit;) {
      const rows = await readEntityHistoryRows(this.#knex, {
        by,
        order: 'desc',
        afterId,
        limit: readableScanBatch,
      });
      if (
        rows.some(row => readable(row.entity ?? row.previous_entity ?? '{}'))
      ) {
        return true;
      }
      if (rows.length < readableScanBatch) {
        return false;
      }
      scanned += rows.length;
      afterId = String(rows[rows.length - 1].id);
    }
    return false;
  }
}

/** Bounds the work of deciding whether a reader may see an entity at all. */
const readableScanBatch = 500;
const readableScanLimit = 5000;

/**
 * The entries the caller may read, judged on the form after the change
 * (the last one served, for a deletion). An update from a form it could
 * not read comes without its patch, whose paths would tell about it.
 */
function present(
  rows: readonly HistoryRow[],
  readable: ReadableCheck,
): EntityChange[] {
  return rows
    .filter(row => readable(row.entity ?? row.previous_entity ?? '{}'))
    .map(row =>
      toEntityChange(row, {
        withPatch: !row.previous_entity || readable(row.previous_entity),
      }),
    );
}

/** Search keys and `key=value` pairs, lowercased as the index stores them. */
function searchKeys(entity: Entity) {
  const keys = new Set<string>();
  const pairs = new Set<string>();
  const values: Array<[key: string, value: string]> = [];
  for (const row of buildEntitySearch(entity)) {
    keys.add(row.key);
    if (row.value !== null) {
      pairs.add(`${row.key}\u0000${row.value}`);
      values.push([row.key, row.value]);
    }
  }
  return { keys, pairs, values };
}

function matchesFilter(
  filter: EntityPermissionFilter,
  index: ReturnType<typeof searchKeys>,
): boolean {
  if ('allOf' in filter) {
    return filter.allOf.every(part => matchesFilter(part, index));
  }
  if ('anyOf' in filter) {
    return filter.anyOf.some(part => matchesFilter(part, index));
  }
  if ('not' in filter) {
    return !matchesFilter(filter.not, index);
  }
  const key = filter.key.toLowerCase();
  if ('prefix' in filter) {
    const prefix = filter.prefix.toLowerCase();
    return index.values.some(([k, v]) => k === key && v.startsWith(prefix));
  }
  const values = filter.values ?? [];
  if (values.length === 0) {
    return index.keys.has(key);
  }
  return values.some(value =>
    index.pairs.has(`${key}\u0000${value.toLowerCase()}`),
  );
}
