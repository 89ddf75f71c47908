import type { Knex } from 'knex';

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
