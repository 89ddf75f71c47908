import { isInJsonArray, jsonRecordset, splitIntoChunks } from './sqlIdioms';
import type { Knex } from 'knex';

const chunkSize = 5000;

/** A relation as stored: lowercased refs. */
export interface RelationRow {
  sourceEntityRef: string;
  type: string;
  targetEntityRef: string;
}

/**
 * Makes `relations` hold exactly the relations each entity's processing
 * emitted, writing only the difference.
 *
 * @returns the sources of the relations added or removed: their stitched
 *   relations changed.
 */
export async function syncRelations(
  tx: Knex.Transaction,
  entities: ReadonlyArray<{
    entityId: string;
    relations: readonly RelationRow[];
  }>,
): Promise<string[]> {
  if (entities.length === 0) {
    return [];
  }
  const existing = await tx.raw<{
    rows: Array<{
      originating_entity_id: string;
      source_entity_ref: string;
      type: string;
      target_entity_ref: string;
    }>;
  }>(
    `SELECT originating_entity_id, source_entity_ref, type, target_entity_ref
     FROM relations
     WHERE ${isInJsonArray('originating_entity_id')}`,
    [JSON.stringify(entities.map(e => e.entityId))],
  );
  const wanted = new Map<string, DbRelation>();
  for (const { entityId, relations } of entities) {
    for (const r of relations) {
      const row = {
        originating_entity_id: entityId,
        source_entity_ref: r.sourceEntityRef,
        type: r.type,
        target_entity_ref: r.targetEntityRef,
      };
      wanted.set(relationKey(row), row);
    }
  }
  const present = new Set<string>();
  const removed: DbRelation[] = [];
  const changedSources = new Set<string>();
  for (const row of existing.rows) {
    const key = relationKey(row);
    if (present.has(key)) {
      continue;
    }
    present.add(key);
    if (!wanted.has(key)) {
      removed.push(row);
      changedSources.add(row.source_entity_ref);
    }
  }
  const added = [...wanted].filter(([key]) => !present.has(key)).map(e => e[1]);
  for (const row of added) {
    changedSources.add(row.source_entity_ref);
  }
  for (const chunk of splitIntoChunks(removed, chunkSize)) {
    await tx.raw(
      `DELETE FROM relations AS r
       USING ${jsonRecordset(['originating_entity_id', 'source_entity_ref', 'type', 'target_entity_ref'])}
       WHERE r.originating_entity_id = x.originating_entity_id
         AND r.source_entity_ref = x.source_entity_ref
         AND r.type = x.type
         AND r.target_entity_ref = x.target_entity_ref`,
      [JSON.stringify(chunk)],
    );
  }
  for (const chunk of splitIntoChunks(added, chunkSize)) {
    await tx.raw(
      `INSERT INTO relations (originating_entity_id, source_entity_ref, type, target_entity_ref)
       SELECT * FROM ${jsonRecordset(['originating_entity_id', 'source_entity_ref', 'type', 'target_entity_ref'])}`,
      [JSON.stringify(chunk)],
    );
  }
  return [...changedSources];
}

interface DbRelation {
  originating_entity_id: string;
  source_entity_ref: string;
  type: string;
  target_entity_ref: string;
}

function relationKey(row: DbRelation): string {
  return [
    row.originating_entity_id,
    row.source_entity_ref,
    row.type,
    row.target_entity_ref,
  ].join('\u0000');
}
