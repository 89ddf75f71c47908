import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { splitIntoChunks } from './splitIntoChunks';

const chunkSize = 1000;

/**
 * Requests a stitch of entities, by lowercased ref or by id. A row that is
 * not due yet, or that a stitcher claimed, becomes due with a new ticket,
 * so a stitcher that claimed it before this call leaves it due and it is
 * stitched once more. A row already due and waiting is only locked, which
 * keeps stitchers from claiming it before this transaction commits; it is
 * not rewritten. However many calls come before a stitcher claims a row,
 * it is stitched once.
 *
 * Call it inside the transaction that made the change, so the change and
 * the stitch it needs commit together. Unknown refs and ids are ignored,
 * and so are entities never processed: nothing of them is served yet, and
 * their first processing marks them.
 */
export async function markForStitching(
  tx: Knex | Knex.Transaction,
  options: { entityRefs?: Iterable<string>; entityIds?: Iterable<string> },
): Promise<void> {
  const ticket = randomUUID();
  const batches: Array<{ column: string; values: string[] }> = [
    { column: 'entity_ref', values: [...new Set(options.entityRefs ?? [])] },
    { column: 'entity_id', values: [...new Set(options.entityIds ?? [])] },
  ];
  for (const { column, values } of batches) {
    // Rows are locked in one order by every writer, against deadlocks.
    for (const chunk of splitIntoChunks(values.sort(), chunkSize)) {
      await tx.raw(
        `WITH locked AS (
           SELECT entity_id, next_stitch_at <= now() AS waiting
           FROM refresh_state
           WHERE ?? = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))
             AND processed_entity IS NOT NULL
           ORDER BY entity_id
           FOR NO KEY UPDATE
         )
         UPDATE refresh_state AS r
         SET next_stitch_at = now(), next_stitch_ticket = ?
         FROM locked
         WHERE r.entity_id = locked.entity_id AND locked.waiting IS NOT TRUE
           AND r.entity_id = ANY(ARRAY(SELECT entity_id FROM locked))`,
        [column, JSON.stringify(chunk), ticket],
      );
    }
  }
}
