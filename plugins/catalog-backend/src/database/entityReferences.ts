/*
 * `refresh_state_references`: which provider or parent references each
 * entity, its ancestors, and the orphan rule for entities nothing
 * references any more.
 */
import {
  isInJsonArray,
  isReferenced,
  splitIntoChunks,
  jsonRecordset,
} from './sqlIdioms';
import type { Knex } from 'knex';
import { markForStitching } from './stitchQueue';
import { setDeletionSource } from '../history/changeSource';
import { quoteList } from '@plinth/errors';

/** Refs per statement when deleting orphans. */
const orphanChunkSize = 1000;

/** References per statement when syncing a parent's references. */
const referenceChunkSize = 5000;

/** How many deleted refs one log line lists. */
const loggedRefs = 20;

/**
 * What becomes of an entity that no provider and no parent references any
 * more (`catalog.orphanStrategy`): `'delete'` deletes it, `'keep'` keeps it
 * and the stitcher gives it the `backstage.io/orphan` annotation.
 */
export type OrphanStrategy = 'delete' | 'keep';

/**
 * Applies the orphan strategy to entities that may just have lost their
 * last reference. This is the one place that decides what becomes of
 * orphans; the stitcher only reads whether an entity is referenced.
 *
 * @returns the refs deleted, and the refs the caller marks for stitching
 *   in the same transaction, so that kept orphans gain their annotation.
 */
export async function settleOrphans(
  tx: Knex.Transaction,
  candidateRefs: readonly string[],
  strategy: OrphanStrategy,
): Promise<{ deletedRefs: string[]; restitchRefs: string[] }> {
  if (strategy === 'delete') {
    return {
      deletedRefs: await deleteOrphans(tx, candidateRefs),
      restitchRefs: [],
    };
  }
  return { deletedRefs: [], restitchRefs: [...candidateRefs] };
}

/**
 * Deletes those of the candidate entities that nobody references any more
 * (no provider, no parent), then their children that this leaves without
 * references, and so on down the tree. Entities whose stitched relations
 * mention a deleted entity are marked for stitching in the same
 * transaction. Callers log what it deleted, and why, with
 * {@link describeOrphanDeletion} once their transaction has committed.
 *
 * @returns the refs of the deleted entities.
 */
export async function deleteOrphans(
  tx: Knex.Transaction,
  candidateRefs: Iterable<string>,
): Promise<string[]> {
  const deleted = new Set<string>();
  const peers = new Set<string>();
  let candidates = [...new Set(candidateRefs)].sort();
  while (candidates.length > 0) {
    const children = new Set<string>();
    for (const chunk of splitIntoChunks(candidates, orphanChunkSize)) {
      const result = await tx.raw<{
        rows: Array<{ kind: string; ref: string }>;
      }>(
        // Every part reads the same snapshot, taken before the delete and
        // its cascades, so children and peers are still visible.
        `WITH doomed AS (
           SELECT entity_id, entity_ref FROM refresh_state AS r
           WHERE ${isInJsonArray('r.entity_ref')}
             AND NOT ${isReferenced('r.entity_ref')}
           ORDER BY entity_id
           FOR UPDATE
         ), gone AS (
           DELETE FROM refresh_state
           WHERE entity_id IN (SELECT entity_id FROM doomed)
           RETURNING entity_ref
         )
         SELECT 'deleted' AS kind, entity_ref AS ref FROM gone
         UNION ALL
         SELECT 'child', target_entity_ref FROM refresh_state_references
         WHERE source_entity_ref IN (SELECT entity_ref FROM doomed)
         UNION ALL
         SELECT 'peer', source_entity_ref FROM relations
         WHERE originating_entity_id IN (SELECT entity_id FROM doomed)
            OR target_entity_ref IN (SELECT entity_ref FROM doomed)`,
        [JSON.stringify(chunk)],
      );
      for (const { kind, ref } of result.rows) {
        if (kind === 'deleted') {
          deleted.add(ref);
        } else if (kind === 'child') {
          children.add(ref);
        } else {
          peers.add(ref);
        }
      }
    }
    candidates = [...children].filter(ref => !deleted.has(ref)).sort();
    if (candidates.length > 0) {
      // What the caller deleted came first; what follows is left without
      // anyone referencing it.
      await setDeletionSource(tx, { type: 'orphan-cleanup' });
    }
  }
  const survivors = [...peers].filter(ref => !deleted.has(ref));
  await markForStitching(tx, { entityRefs: survivors });
  return [...deleted];
}

/**
 * The log line for the entities one transaction deleted as orphans: how
 * many, why, and which.
 *
 * @param cause - what left them without a source, such as
 *   `"entity provider 'org' stopped providing them or their ancestors"`.
 */
export function describeOrphanDeletion(
  deletedRefs: readonly string[],
  cause: string,
): string {
  const count = deletedRefs.length;
  return `Deleted ${count} ${count === 1 ? 'entity' : 'entities'} that nothing references any more, since ${cause}: ${quoteRefs(deletedRefs, loggedRefs)}.`;
}

/**
 * Makes `refresh_state_references` say exactly which children each parent
 * entity emitted, writing only the difference.
 *
 * @returns the references dropped, whose children may now be orphans, and
 *   the refs that gained a reference, which may have been orphans until
 *   now.
 */
export async function syncParentReferences(
  tx: Knex.Transaction,
  parents: ReadonlyArray<{ parentRef: string; childRefs: readonly string[] }>,
): Promise<{
  lost: Array<{ parentRef: string; childRef: string }>;
  gained: string[];
}> {
  if (parents.length === 0) {
    return { lost: [], gained: [] };
  }
  const existing = await tx.raw<{
    rows: Array<{
      id: string;
      source_entity_ref: string;
      target_entity_ref: string;
    }>;
  }>(
    `SELECT id, source_entity_ref, target_entity_ref
     FROM refresh_state_references
     WHERE ${isInJsonArray('source_entity_ref')}`,
    [JSON.stringify(parents.map(p => p.parentRef))],
  );
  const wanted = new Set(
    parents.flatMap(p => p.childRefs.map(c => pairKey(p.parentRef, c))),
  );
  const present = new Set<string>();
  const removedIds: string[] = [];
  const lost: Array<{ parentRef: string; childRef: string }> = [];
  for (const row of existing.rows) {
    const key = pairKey(row.source_entity_ref, row.target_entity_ref);
    present.add(key);
    if (!wanted.has(key)) {
      removedIds.push(String(row.id));
      lost.push({
        parentRef: row.source_entity_ref,
        childRef: row.target_entity_ref,
      });
    }
  }
  const added = parents.flatMap(p =>
    p.childRefs
      .filter(c => !present.has(pairKey(p.parentRef, c)))
      .map(c => ({ source_entity_ref: p.parentRef, target_entity_ref: c })),
  );
  for (const chunk of splitIntoChunks(removedIds, referenceChunkSize)) {
    await tx.raw(
      `DELETE FROM refresh_state_references
       WHERE ${isInJsonArray('id', 'bigint')}`,
      [JSON.stringify(chunk)],
    );
  }
  for (const chunk of splitIntoChunks(added, referenceChunkSize)) {
    await tx.raw(
      `INSERT INTO refresh_state_references (source_entity_ref, target_entity_ref)
       SELECT x.source_entity_ref, x.target_entity_ref
       FROM ${jsonRecordset(['source_entity_ref', 'target_entity_ref'])}
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(chunk)],
    );
  }
  return {
    lost,
    gained: [...new Set(added.map(a => a.target_entity_ref))],
  };
}

function pairKey(source: string, target: string): string {
  return `${source}\u0000${target}`;
}

/** Deeper than any real tree of locations; stops a reference cycle. */
const maxDepth = 64;

/**
 * The entities whose processing emitted an entity, their parents, and so
 * on up to the ones that entity providers emitted; nearest first.
 *
 * @param entityRef - lowercased.
 */
export async function listAncestors(
  knex: Knex | Knex.Transaction,
  entityRef: string,
): Promise<string[]> {
  const result = await knex.raw<{ rows: Array<{ ref: string }> }>(
    `WITH RECURSIVE ancestors(ref, depth) AS (
       SELECT source_entity_ref, 1 FROM refresh_state_references
       WHERE target_entity_ref = ? AND source_entity_ref IS NOT NULL
       UNION
       SELECT f.source_entity_ref, a.depth + 1
       FROM refresh_state_references AS f
       JOIN ancestors AS a ON f.target_entity_ref = a.ref
       WHERE f.source_entity_ref IS NOT NULL AND a.depth < ?
     )
     SELECT ref FROM ancestors WHERE ref <> ?
     GROUP BY ref ORDER BY min(depth), ref`,
    [entityRef, maxDepth, entityRef],
  );
  return result.rows.map(row => row.ref);
}

/**
 * Quotes entity refs for a log line or message: the first `max` of them
 * sorted, then how many more there are, such as `'a', 'b' and 3 more`.
 */
export function quoteRefs(refs: Iterable<string>, max: number): string {
  const sorted = [...refs].sort();
  const shown = quoteList(sorted.slice(0, max));
  const more = sorted.length - max;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
