import { isInJsonArray, jsonRecordset, splitIntoChunks } from './sqlIdioms';
import { ConflictError } from '@plinth/errors';
import type { Knex } from 'knex';
import {
  settleOrphans,
  syncParentReferences,
  type OrphanStrategy,
} from './entityReferences';
import {
  describeLocationKeyConflict,
  upsertUnprocessedEntities,
  type LocationKeyConflict,
  type UnprocessedEntityRow,
} from './upsertUnprocessedEntities';
import { markForStitching } from './stitchQueue';
import { recordLocationKeyConflicts } from './locationKeyConflicts';
import { replaceRefreshKeys } from './processingQueue';
import { syncRelations, type RelationRow } from './syncRelations';
import { toStoredError, type StoredError } from '../shared/toStoredError';
import { setDeletionSource } from '../history/changeSource';
import type { OffHeapJson } from '../shared/OffHeapJson';

/** A child entity emitted by the processing of its parent. */
export interface ChildEntityRow {
  entityRef: string;
  /** Its JSON, kept off the heap by the processing that emitted it. */
  entity: string | OffHeapJson;
  hash: string;
  locationKey: string | null;
}

interface WriteBase {
  entityId: string;
  entityRef: string;
  /** The hash the entity had when it was claimed; a newer one wins. */
  unprocessedHash: string;
  /** The processor cache to store, as JSON. */
  cache: string | null;
}

/** What the processing of one claimed entity changes. */
export type ProcessingWrite =
  | (WriteBase & { kind: 'cache' })
  | (WriteBase & {
      kind: 'failed';
      resultHash: string;
      errors: StoredError[];
    })
  | (WriteBase & {
      kind: 'processed';
      resultHash: string;
      errors: StoredError[];
      processedEntity: string;
      relations: RelationRow[];
      refreshKeys: string[];
      children: ChildEntityRow[];
    });

/** A batch of claimed entities whose processing ended. */
export interface ProcessedBatch {
  /** The run that claimed them (see `claimDueEntities`). */
  claimId: string;
  /** Every entity of the claim, whether it has a write or not. */
  entityIds: readonly string[];
  /** At most one write per entity; the others changed nothing. */
  writes: readonly ProcessingWrite[];
}

/** What {@link writeProcessingResults} did. */
export interface ProcessingWriteOutcome {
  /** Ids of the entities written; the others changed since they were claimed. */
  written: string[];
  /** Refs of the entities that another run claimed after this run's claim lapsed. */
  lostClaims: string[];
  /** Children refused because another location owns their ref, by parent id. */
  conflicts: Map<string, LocationKeyConflict[]>;
  /** Refs of the orphans deleted. */
  deletedRefs: string[];
  /** Refs of the parents that stopped emitting the orphans deleted. */
  orphanedBy: string[];
}

const updateChunkSize = 500;

/**
 * Writes the results of a batch of processed entities in one transaction:
 * the processed entities, errors and caches, their relations, refresh keys
 * and children, the references from parents to children, and the orphans
 * this leaves; marks for stitching every entity whose served form
 * changed; and ends the batch's claims.
 *
 * Only the entities the batch's run still holds are written, which fences
 * off a run whose claim lapsed: an entity that another run claimed since
 * belongs to that run. A result whose entity was rewritten by its source
 * since it was claimed is dropped, since the newer version is due for
 * processing. An entity refreshed while the run held it is due again at
 * once; the others' next run is `intervalMs` plus up to 50% random jitter
 * ahead, so that entities written together spread out over time.
 *
 * A child whose ref another location owns is not written; the conflict is
 * added to the parent's errors and recorded for diagnostics, and the
 * parent's result hash is cleared so its next run tries again.
 */
export async function writeProcessingResults(
  tx: Knex.Transaction,
  batch: ProcessedBatch,
  options: { orphanStrategy: OrphanStrategy; intervalMs: number },
): Promise<ProcessingWriteOutcome> {
  const { held, lostClaims } = await lockHeldRows(tx, batch);
  const current = batch.writes.filter(
    w => held.get(w.entityId) === w.unprocessedHash,
  );
  const processed = current.filter(
    (w): w is Extract<ProcessingWrite, { kind: 'processed' }> =>
      w.kind === 'processed',
  );

  const { acceptedByParent, conflicts } = await writeChildren(tx, processed);
  await recordLocationKeyConflicts(tx, {
    sources: { parentRefs: processed.map(w => w.entityRef) },
    conflicts: [...conflicts.values()].flat(),
  });
  const references = await syncParentReferences(
    tx,
    processed.map(w => ({
      parentRef: w.entityRef,
      childRefs: acceptedByParent.get(w.entityId) ?? [],
    })),
  );
  const changedSources = await syncRelations(
    tx,
    processed.map(w => ({ entityId: w.entityId, relations: w.relations })),
  );
  await replaceRefreshKeys(
    tx,
    processed.map(w => ({ entityId: w.entityId, keys: w.refreshKeys })),
  );
  await updateRefreshState(
    tx,
    [...held.keys()],
    current,
    conflicts,
    options.intervalMs,
  );

  // An entity that gained a parent may lose its orphan annotation.
  const stitch = new Set([...changedSources, ...references.gained]);
  for (const w of current) {
    if (w.kind !== 'cache') {
      stitch.add(w.entityRef);
    }
  }
  const stillReferenced = new Set([...acceptedByParent.values()].flat());
  const lost = references.lost.filter(l => !stillReferenced.has(l.childRef));
  if (lost.length > 0) {
    await setDeletionSource(tx, { type: 'orphan-cleanup', name: 'processing' });
  }
  const { deletedRefs, restitchRefs } = await settleOrphans(
    tx,
    lost.map(l => l.childRef),
    options.orphanStrategy,
  );
  restitchRefs.forEach(ref => stitch.add(ref));
  const deleted = new Set(deletedRefs);
  await markForStitching(tx, {
    entityRefs: [...stitch].filter(ref => !deleted.has(ref)),
  });
  const orphanedBy = lost
    .filter(l => deleted.has(l.childRef))
    .map(l => l.parentRef);
  return {
    written: current.map(w => w.entityId),
    lostClaims,
    conflicts,
    deletedRefs,
    orphanedBy: [...new Set(orphanedBy)].sort(),
  };
}

/**
 * Locks the rows of the batch that its run still holds, in one order
 * against deadlocks, and reads their current unprocessed hashes, by id.
 * Also returns the refs of the batch's entities that another run holds
 * now; rows deleted meanwhile are in neither.
 */
async function lockHeldRows(
  tx: Knex.Transaction,
  batch: ProcessedBatch,
): Promise<{ held: Map<string, string>; lostClaims: string[] }> {
  if (batch.entityIds.length === 0) {
    return { held: new Map(), lostClaims: [] };
  }
  const result = await tx.raw<{
    rows: Array<{ entity_id: string; unprocessed_hash: string }>;
  }>(
    `SELECT entity_id, unprocessed_hash FROM refresh_state
     WHERE ${isInJsonArray('entity_id')}
       AND claim_id = ?
     ORDER BY entity_id
     FOR NO KEY UPDATE`,
    [JSON.stringify(batch.entityIds), batch.claimId],
  );
  const held = new Map(
    result.rows.map(row => [row.entity_id, row.unprocessed_hash]),
  );
  const missing = batch.entityIds.filter(id => !held.has(id));
  if (missing.length === 0) {
    return { held, lostClaims: [] };
  }
  const others = await tx.raw<{ rows: Array<{ entity_ref: string }> }>(
    `SELECT entity_ref FROM refresh_state
     WHERE ${isInJsonArray('entity_id')}`,
    [JSON.stringify(missing)],
  );
  return { held, lostClaims: others.rows.map(row => row.entity_ref).sort() };
}

/**
 * Writes the children of all parents of the batch at once. A ref emitted
 * by several parents of the batch is written once, by the first; the
 * others share it when their location key agrees and conflict otherwise.
 */
async function writeChildren(
  tx: Knex.Transaction,
  parents: ReadonlyArray<Extract<ProcessingWrite, { kind: 'processed' }>>,
): Promise<{
  acceptedByParent: Map<string, string[]>;
  conflicts: Map<string, LocationKeyConflict[]>;
}> {
  const firstByRef = new Map<
    string,
    { parentId: string; row: UnprocessedEntityRow }
  >();
  const sharing: Array<{ parentId: string; row: UnprocessedEntityRow }> = [];
  for (const parent of parents) {
    for (const child of parent.children) {
      const row: UnprocessedEntityRow = {
        ...child,
        sourceKey: null,
        sourceEntityRef: parent.entityRef,
      };
      if (firstByRef.has(child.entityRef)) {
        sharing.push({ parentId: parent.entityId, row });
      } else {
        firstByRef.set(child.entityRef, { parentId: parent.entityId, row });
      }
    }
  }
  const { accepted, conflicts } = await upsertUnprocessedEntities(
    tx,
    [...firstByRef.values()].map(f => f.row),
  );
  const acceptedSet = new Set(accepted);
  const acceptedByParent = new Map<string, string[]>();
  const conflictsByParent = new Map<string, LocationKeyConflict[]>();
  const add = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) {
      list.push(value);
    } else {
      map.set(key, [value]);
    }
  };
  for (const conflict of conflicts) {
    add(
      conflictsByParent,
      firstByRef.get(conflict.entityRef)!.parentId,
      conflict,
    );
  }
  for (const { parentId, row } of firstByRef.values()) {
    if (acceptedSet.has(row.entityRef)) {
      add(acceptedByParent, parentId, row.entityRef);
    }
  }
  const conflictByRef = new Map(conflicts.map(c => [c.entityRef, c]));
  for (const { parentId, row } of sharing) {
    const owner = firstByRef.get(row.entityRef)!.row;
    const existingKey = conflictByRef.has(row.entityRef)
      ? conflictByRef.get(row.entityRef)!.existingLocationKey
      : owner.locationKey;
    if (existingKey === row.locationKey) {
      add(acceptedByParent, parentId, row.entityRef);
    } else {
      add(conflictsByParent, parentId, {
        entityRef: row.entityRef,
        locationKey: row.locationKey,
        existingLocationKey: existingKey,
        sourceKey: null,
        sourceEntityRef: row.sourceEntityRef,
      });
    }
  }
  return { acceptedByParent, conflicts: conflictsByParent };
}

/**
 * Writes the refresh state of the rows the batch holds: what each write
 * changes, and for every row the end of the claim. A row refreshed while
 * the run held it becomes due now; the others `intervalMs` plus jitter
 * from now.
 */
async function updateRefreshState(
  tx: Knex.Transaction,
  heldIds: readonly string[],
  writes: readonly ProcessingWrite[],
  conflicts: Map<string, LocationKeyConflict[]>,
  intervalMs: number,
): Promise<void> {
  const byId = new Map(writes.map(w => [w.entityId, w]));
  const rows = heldIds.map(entityId => {
    const w = byId.get(entityId);
    if (!w) {
      return { entity_id: entityId, kind: 'release' };
    }
    if (w.kind === 'cache') {
      return { entity_id: w.entityId, kind: w.kind, cache: w.cache };
    }
    const refused = conflicts.get(w.entityId) ?? [];
    const errors = [
      ...w.errors,
      ...refused.map(c =>
        toStoredError(new ConflictError(describeLocationKeyConflict(c))),
      ),
    ];
    return {
      entity_id: w.entityId,
      kind: w.kind,
      cache: w.cache,
      result_hash: refused.length > 0 ? null : w.resultHash,
      errors: JSON.stringify(errors),
      processed_entity: w.kind === 'processed' ? w.processedEntity : null,
    };
  });
  for (const chunk of splitIntoChunks(rows, updateChunkSize)) {
    await tx.raw(
      `WITH x AS (
         SELECT * FROM ${jsonRecordset(['entity_id', 'kind', 'cache', 'result_hash', 'errors', 'processed_entity'])}
       )
       UPDATE refresh_state AS r SET
         cache = CASE WHEN x.kind = 'release' THEN r.cache ELSE x.cache END,
         result_hash = CASE WHEN x.kind IN ('failed', 'processed')
           THEN x.result_hash ELSE r.result_hash END,
         errors = CASE WHEN x.kind IN ('failed', 'processed')
           THEN x.errors ELSE r.errors END,
         errors_since = CASE WHEN x.kind NOT IN ('failed', 'processed')
           THEN r.errors_since WHEN x.errors = '[]' THEN NULL
           ELSE COALESCE(r.errors_since, now()) END,
         processed_entity = CASE WHEN x.kind = 'processed'
           THEN x.processed_entity ELSE r.processed_entity END,
         next_update_at = CASE WHEN r.refresh_requested THEN now()
           ELSE now() + CAST(? AS float8) * (1 + random() * 0.5)
             * INTERVAL '1 millisecond' END,
         claim_id = NULL,
         claim_expires_at = NULL,
         refresh_requested = false
       FROM x
       WHERE r.entity_id = x.entity_id
         AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM x))`,
      [JSON.stringify(chunk), intervalMs],
    );
  }
}
