import type { Knex } from 'knex';
import { markForStitching } from './markForStitching';
import { quoteRefs } from './quoteRefs';
import { splitIntoChunks } from './splitIntoChunks';

const chunkSize = 1000;

/** How many deleted refs one log line lists. */
const loggedRefs = 20;

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
    for (const chunk of splitIntoChunks(candidates, chunkSize)) {
      const result = await tx.raw<{
        rows: Array<{ kind: string; ref: string }>;
      }>(
        // Every part reads the same snapshot, taken before the delete and
        // its cascades, so children and peers are still visible.
        `WITH doomed AS (
           SELECT entity_id, entity_ref FROM refresh_state AS r
           WHERE r.entity_ref = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))
             AND NOT EXISTS (
               SELECT 1 FROM refresh_state_references AS f
               WHERE f.target_entity_ref = r.entity_ref)
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
