import type { Knex } from 'knex';
import type { StoredError } from '../shared/toStoredError';
import { jsonArrayElements } from './sqlIdioms';

/**
 * Where one entity affected by a write stands: whether processing and
 * stitching have caught up with it, and what readers are served.
 */
export interface EntityWriteProgress {
  /** Lowercased `kind:namespace/name`. */
  entityRef: string;
  /**
   * Not due for processing, not held by a run, and no refresh waiting for
   * the run that holds it: the last write to it has been processed.
   */
  processed: boolean;
  /** No stitch is due or running for it. */
  stitched: boolean;
  /** A `final_entities` row exists: readers are served this entity. */
  served: boolean;
  /** The errors of its last processing; empty when it succeeded. */
  errors: StoredError[];
}

/** What {@link readWriteProgress} found. */
export interface WriteProgress {
  entities: EntityWriteProgress[];
  /** Refs asked for that no longer exist in the catalog. */
  gone: string[];
  /** The trees held more than `maxEntities` entities; only that many are listed. */
  truncated: boolean;
}

/**
 * Reads, in one statement, the progress of the entities a write affected:
 * each of `treeRefs` with everything emitted under it, transitively,
 * through `refresh_state_references`, and each of `refs` alone.
 *
 * @remarks
 * The walk goes from parents to children over the partial unique index on
 * `(source_entity_ref, target_entity_ref)`, and every other look-up is by
 * primary or unique key, so a round costs about one index probe per
 * entity of the trees; `maxEntities` bounds it. `UNION` discards the rows
 * seen before, so a reference cycle ends the walk instead of looping.
 *
 * An entity is settled once it is processed and stitched. A child that
 * processing has not emitted yet is not in the tree, but its parent is
 * then not processed; so when every entity of the tree is settled, the
 * tree is complete.
 *
 * @param treeRefs - lowercased refs of the roots of the trees.
 * @param refs - lowercased refs that count alone, without their children.
 */
export async function readWriteProgress(
  knex: Knex,
  options: {
    treeRefs: readonly string[];
    refs?: readonly string[];
    maxEntities: number;
  },
): Promise<WriteProgress> {
  const result = await knex.raw<{
    rows: Array<{
      ref: string;
      found: boolean;
      processed: boolean | null;
      stitched: boolean | null;
      served: boolean;
      errors: string | null;
    }>;
  }>(
    `WITH RECURSIVE tree(ref) AS (
       SELECT ${jsonArrayElements}
       UNION
       SELECT link.target_entity_ref
       FROM refresh_state_references AS link
       JOIN tree ON link.source_entity_ref = tree.ref
     ), affected AS (
       (SELECT ref FROM tree LIMIT ?)
       UNION
       SELECT ${jsonArrayElements}
     )
     SELECT a.ref, r.entity_id IS NOT NULL AS found,
       r.claim_id IS NULL AND r.next_update_at > now()
         AND NOT r.refresh_requested AS processed,
       q.entity_id IS NULL AS stitched,
       f.entity_id IS NOT NULL AS served,
       r.errors
     FROM affected AS a
     LEFT JOIN refresh_state AS r ON r.entity_ref = a.ref
     LEFT JOIN stitch_queue AS q ON q.entity_id = r.entity_id
     LEFT JOIN final_entities AS f ON f.entity_id = r.entity_id
     ORDER BY a.ref`,
    [
      JSON.stringify(options.treeRefs),
      options.maxEntities + 1,
      JSON.stringify(options.refs ?? []),
    ],
  );
  const entities: EntityWriteProgress[] = [];
  const gone: string[] = [];
  for (const row of result.rows) {
    if (!row.found) {
      gone.push(row.ref);
      continue;
    }
    entities.push({
      entityRef: row.ref,
      processed: row.processed === true,
      stitched: row.stitched === true,
      served: row.served,
      errors: parseErrors(row.errors),
    });
  }
  const truncated = entities.length + gone.length > options.maxEntities;
  return {
    entities: truncated ? entities.slice(0, options.maxEntities) : entities,
    gone,
    truncated,
  };
}

/** Whether every entity of the progress is processed and stitched. */
export function isSettled(progress: WriteProgress): boolean {
  return (
    !progress.truncated &&
    progress.entities.every(entity => entity.processed && entity.stitched)
  );
}

function parseErrors(errors: string | null): StoredError[] {
  const parsed: unknown = errors === null ? [] : JSON.parse(errors);
  return Array.isArray(parsed) ? (parsed as StoredError[]) : [];
}
