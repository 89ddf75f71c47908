import { isReferenced, jsonRecordset, splitIntoChunks } from './sqlIdioms';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { dueNowAssignments } from './processingQueue';
import { readChangeActor, toWriteSource } from '../history/changeSource';
import type { OffHeapJson } from '../shared/OffHeapJson';

const chunkSize = 1000;

/** An entity as a source writes it, before processing. */
export interface UnprocessedEntityRow {
  /** Lowercased `kind:namespace/name`. */
  entityRef: string;
  /** The entity as JSON, kept off the heap for the children of a processing run. */
  entity: string | OffHeapJson;
  hash: string;
  locationKey: string | null;
  /** Who writes it: exactly one of the two is set. */
  sourceKey: string | null;
  sourceEntityRef: string | null;
}

/** An entity a source may not write, because another location owns its ref. */
export interface LocationKeyConflict {
  entityRef: string;
  locationKey: string | null;
  existingLocationKey: string | null;
  sourceKey: string | null;
  sourceEntityRef: string | null;
}

interface ExistingRow {
  entity_ref: string;
  entity_id: string;
  unprocessed_hash: string;
  location_key: string | null;
  shared: boolean;
}

/**
 * Writes entities emitted by providers or by the processing of a parent
 * into `refresh_state`. New and changed entities become due for
 * processing at once (a changed one that a run holds, once the run ends);
 * unchanged ones are not written at all.
 *
 * A ref already owned by another location key is refused, unless the row
 * has no location key or nobody but this same source references it (a
 * source may move its own entity); refused entities come back as
 * conflicts, and the caller reports them.
 *
 * @returns the refs the sources now own (written or unchanged), and the
 *   conflicts.
 */
export async function upsertUnprocessedEntities(
  tx: Knex.Transaction,
  entities: readonly UnprocessedEntityRow[],
): Promise<{ accepted: string[]; conflicts: LocationKeyConflict[] }> {
  const accepted: string[] = [];
  const conflicts: LocationKeyConflict[] = [];
  const sorted = [...entities].sort((a, b) =>
    a.entityRef < b.entityRef ? -1 : 1,
  );
  for (const chunk of splitIntoChunks(sorted, chunkSize)) {
    let pending = chunk;
    // A second round covers rows that another writer inserted between
    // this writer's look-up and its insert.
    for (let round = 0; round < 2 && pending.length > 0; round += 1) {
      const existing = await selectExisting(tx, pending);
      const toInsert: UnprocessedEntityRow[] = [];
      const toUpdate: Array<UnprocessedEntityRow & { entityId: string }> = [];
      for (const row of pending) {
        const found = existing.get(row.entityRef);
        if (!found) {
          toInsert.push(row);
        } else if (
          found.location_key !== null &&
          found.location_key !== row.locationKey &&
          found.shared
        ) {
          conflicts.push({
            entityRef: row.entityRef,
            locationKey: row.locationKey,
            existingLocationKey: found.location_key,
            sourceKey: row.sourceKey,
            sourceEntityRef: row.sourceEntityRef,
          });
        } else if (
          found.unprocessed_hash === row.hash &&
          found.location_key === row.locationKey
        ) {
          accepted.push(row.entityRef);
        } else {
          toUpdate.push({ ...row, entityId: found.entity_id });
          accepted.push(row.entityRef);
        }
      }
      await updateRows(tx, toUpdate);
      const inserted = await insertRows(tx, toInsert);
      accepted.push(...inserted);
      const insertedSet = new Set(inserted);
      pending = toInsert.filter(row => !insertedSet.has(row.entityRef));
    }
  }
  return { accepted, conflicts };
}

async function selectExisting(
  tx: Knex.Transaction,
  rows: readonly UnprocessedEntityRow[],
): Promise<Map<string, ExistingRow>> {
  const result = await tx.raw<{ rows: ExistingRow[] }>(
    `SELECT r.entity_ref, r.entity_id, r.unprocessed_hash, r.location_key,
       ${isReferenced(
         'r.entity_ref',
         `referrer.source_key IS DISTINCT FROM x.source_key
           OR referrer.source_entity_ref IS DISTINCT FROM x.source_entity_ref`,
       )} AS shared
     FROM ${jsonRecordset(['entity_ref', 'source_key', 'source_entity_ref'])}
     JOIN refresh_state AS r ON r.entity_ref = x.entity_ref`,
    [
      JSON.stringify(
        rows.map(row => ({
          entity_ref: row.entityRef,
          source_key: row.sourceKey,
          source_entity_ref: row.sourceEntityRef,
        })),
      ),
    ],
  );
  return new Map(result.rows.map(row => [row.entity_ref, row]));
}

async function updateRows(
  tx: Knex.Transaction,
  rows: ReadonlyArray<UnprocessedEntityRow & { entityId: string }>,
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const actor = await readChangeActor();
  await tx.raw(
    `WITH x AS (
       SELECT * FROM ${jsonRecordset(['entity_id', 'unprocessed_entity', 'unprocessed_hash', 'location_key', 'change_source', 'change_actor'])}
     ), locked AS (
       SELECT r.entity_id FROM refresh_state AS r
       WHERE r.entity_id = ANY(ARRAY(SELECT entity_id FROM x))
       ORDER BY r.entity_id
       FOR NO KEY UPDATE
     )
     UPDATE refresh_state AS r SET
       unprocessed_entity = x.unprocessed_entity,
       unprocessed_hash = x.unprocessed_hash,
       location_key = x.location_key,
       change_source = x.change_source,
       change_actor = x.change_actor,
       last_discovery_at = now(),
       ${dueNowAssignments}
     FROM x, locked
     WHERE r.entity_id = x.entity_id AND locked.entity_id = x.entity_id
       AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM locked))`,
    [
      JSON.stringify(
        rows.map(row => ({
          entity_id: row.entityId,
          unprocessed_entity: row.entity,
          unprocessed_hash: row.hash,
          location_key: row.locationKey,
          change_source: toWriteSource(row),
          change_actor: actor,
        })),
      ),
    ],
  );
}

/** @returns the refs inserted; the others were inserted meanwhile by another writer. */
async function insertRows(
  tx: Knex.Transaction,
  rows: readonly UnprocessedEntityRow[],
): Promise<string[]> {
  if (rows.length === 0) {
    return [];
  }
  const actor = await readChangeActor();
  const result = await tx.raw<{ rows: Array<{ entity_ref: string }> }>(
    `INSERT INTO refresh_state (entity_id, entity_ref, unprocessed_entity,
       unprocessed_hash, location_key, change_source, change_actor,
       next_update_at, last_discovery_at)
     SELECT x.entity_id, x.entity_ref, x.unprocessed_entity,
       x.unprocessed_hash, x.location_key, x.change_source, x.change_actor,
       now(), now()
     FROM ${jsonRecordset(['entity_id', 'entity_ref', 'unprocessed_entity', 'unprocessed_hash', 'location_key', 'change_source', 'change_actor'])}
     ORDER BY x.entity_ref
     ON CONFLICT (entity_ref) DO NOTHING
     RETURNING entity_ref`,
    [
      JSON.stringify(
        rows.map(row => ({
          entity_id: randomUUID(),
          entity_ref: row.entityRef,
          unprocessed_entity: row.entity,
          unprocessed_hash: row.hash,
          location_key: row.locationKey,
          change_source: toWriteSource(row),
          change_actor: actor,
        })),
      ),
    ],
  );
  return result.rows.map(row => row.entity_ref);
}

/**
 * The message for an entity refused because another location owns its
 * ref, for the parent's errors or the provider's log.
 */
export function describeLocationKeyConflict(
  conflict: LocationKeyConflict,
): string {
  const from =
    conflict.locationKey === null
      ? 'without a location key'
      : `from location '${conflict.locationKey}'`;
  const provider =
    conflict.sourceKey === null
      ? ''
      : ` of entity provider '${conflict.sourceKey}'`;
  const existing =
    conflict.existingLocationKey === null
      ? 'a source without a location key'
      : `location '${conflict.existingLocationKey}'`;
  return `Entity '${conflict.entityRef}' ${from}${provider} conflicts with the same entity already provided by ${existing}; remove one of them, or delete the entity so the other can claim it.`;
}
