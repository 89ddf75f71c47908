import { ConflictError } from '@plinth/errors';
import type { Knex } from 'knex';
import { deleteOrphans } from './deleteOrphans';
import { describeLocationKeyConflict } from './describeLocationKeyConflict';
import { markForStitching } from './markForStitching';
import { replaceRefreshKeys } from './replaceRefreshKeys';
import { splitIntoChunks } from './splitIntoChunks';
import { syncParentReferences } from './syncParentReferences';
import { syncRelations, type RelationRow } from './syncRelations';
import { toStoredError, type StoredError } from './toStoredError';
import {
  upsertUnprocessedEntities,
  type LocationKeyConflict,
  type UnprocessedEntityRow,
} from './upsertUnprocessedEntities';

/** A child entity emitted by the processing of its parent. */
export interface ChildEntityRow {
  entityRef: string;
  entity: string;
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

/** What {@link writeProcessingResults} did. */
export interface ProcessingWriteOutcome {
  /** Ids of the entities written; the others changed since they were claimed. */
  written: string[];
  /** Children refused because another location owns their ref, by parent id. */
  conflicts: Map<string, LocationKeyConflict[]>;
  /** Refs of the orphans deleted. */
  deletedRefs: string[];
}

const updateChunkSize = 500;

/**
 * Writes the results of a batch of processed entities in one transaction:
 * the processed entities, errors and caches, their relations, refresh keys
 * and children, the references from parents to children, and the orphans
 * this leaves; and marks for stitching every entity whose served form
 * changed, in the same transaction. A result whose entity was rewritten by
 * its source since it was claimed is dropped, since the newer version is
 * due for processing.
 *
 * A child whose ref another location owns is not written; the conflict is
 * added to the parent's errors, and the parent's result hash is cleared so
 * its next run tries again.
 */
export async function writeProcessingResults(
  tx: Knex.Transaction,
  writes: readonly ProcessingWrite[],
  options: { orphanStrategy: 'delete' | 'keep' },
): Promise<ProcessingWriteOutcome> {
  const fresh = await lockFreshRows(tx, writes);
  const current = writes.filter(w => fresh.has(w.entityId));
  const processed = current.filter(
    (w): w is Extract<ProcessingWrite, { kind: 'processed' }> =>
      w.kind === 'processed',
  );

  const { acceptedByParent, conflicts } = await writeChildren(tx, processed);
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
  await updateRefreshState(tx, current, conflicts);

  // An entity that gained a parent may lose its orphan annotation.
  const stitch = new Set([...changedSources, ...references.gained]);
  for (const w of current) {
    if (w.kind !== 'cache') {
      stitch.add(w.entityRef);
    }
  }
  const stillReferenced = new Set([...acceptedByParent.values()].flat());
  const candidates = references.lost.filter(ref => !stillReferenced.has(ref));
  let deletedRefs: string[] = [];
  if (options.orphanStrategy === 'delete') {
    deletedRefs = await deleteOrphans(tx, candidates);
  } else {
    // Kept orphans are stitched again to gain the orphan annotation.
    candidates.forEach(ref => stitch.add(ref));
  }
  const deleted = new Set(deletedRefs);
  await markForStitching(tx, {
    entityRefs: [...stitch].filter(ref => !deleted.has(ref)),
  });
  return { written: current.map(w => w.entityId), conflicts, deletedRefs };
}

async function lockFreshRows(
  tx: Knex.Transaction,
  writes: readonly ProcessingWrite[],
): Promise<Set<string>> {
  if (writes.length === 0) {
    return new Set();
  }
  const result = await tx.raw<{ rows: Array<{ entity_id: string }> }>(
    `WITH x AS (
       SELECT * FROM json_to_recordset(CAST(? AS json))
         AS x(entity_id text, unprocessed_hash text)
     )
     SELECT r.entity_id FROM refresh_state AS r
     JOIN x ON r.entity_id = x.entity_id AND r.unprocessed_hash = x.unprocessed_hash
     WHERE r.entity_id = ANY(ARRAY(SELECT entity_id FROM x))
     ORDER BY r.entity_id
     FOR NO KEY UPDATE OF r`,
    [
      JSON.stringify(
        writes.map(w => ({
          entity_id: w.entityId,
          unprocessed_hash: w.unprocessedHash,
        })),
      ),
    ],
  );
  return new Set(result.rows.map(row => row.entity_id));
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

async function updateRefreshState(
  tx: Knex.Transaction,
  writes: readonly ProcessingWrite[],
  conflicts: Map<string, LocationKeyConflict[]>,
): Promise<void> {
  const rows = writes.map(w => {
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
         SELECT * FROM json_to_recordset(CAST(? AS json)) AS x(entity_id text,
           kind text, cache text, result_hash text, errors text,
           processed_entity text)
       )
       UPDATE refresh_state AS r SET
         cache = x.cache,
         result_hash = CASE WHEN x.kind = 'cache' THEN r.result_hash ELSE x.result_hash END,
         errors = CASE WHEN x.kind = 'cache' THEN r.errors ELSE x.errors END,
         processed_entity = CASE WHEN x.kind = 'processed' THEN x.processed_entity
           ELSE r.processed_entity END
       FROM x
       WHERE r.entity_id = x.entity_id
         AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM x))`,
      [JSON.stringify(chunk)],
    );
  }
}
