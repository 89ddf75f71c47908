import type { Knex } from 'knex';
import { splitIntoChunks } from './splitIntoChunks';

const chunkSize = 5000;

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
     WHERE source_entity_ref = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))`,
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
  for (const chunk of splitIntoChunks(removedIds, chunkSize)) {
    await tx.raw(
      `DELETE FROM refresh_state_references
       WHERE id = ANY(ARRAY(SELECT CAST(json_array_elements_text(CAST(? AS json)) AS bigint)))`,
      [JSON.stringify(chunk)],
    );
  }
  for (const chunk of splitIntoChunks(added, chunkSize)) {
    await tx.raw(
      `INSERT INTO refresh_state_references (source_entity_ref, target_entity_ref)
       SELECT x.source_entity_ref, x.target_entity_ref
       FROM json_to_recordset(CAST(? AS json))
         AS x(source_entity_ref text, target_entity_ref text)
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
