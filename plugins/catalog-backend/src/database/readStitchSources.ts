import type { Knex } from 'knex';

/** Everything the served form of one entity is made of. */
export interface StitchSource {
  entityId: string;
  entityRef: string;
  /** NULL until the entity was processed successfully once. */
  processedEntity: string | null;
  /** The errors of the last processing, as a JSON array. */
  errors: string | null;
  /** Whether a provider or a parent entity still emits it. */
  referenced: boolean;
  /** The hash of the served form, if it is served. */
  previousHash: string | null;
  /** Relations whose source is this entity, deduplicated and sorted. */
  relations: Array<{ type: string; targetRef: string }>;
}

/** Reads the sources of the entities' served forms, in two statements. */
export async function readStitchSources(
  knex: Knex,
  entityIds: readonly string[],
): Promise<StitchSource[]> {
  if (entityIds.length === 0) {
    return [];
  }
  const states = await knex.raw<{
    rows: Array<{
      entity_id: string;
      entity_ref: string;
      processed_entity: string | null;
      errors: string | null;
      referenced: boolean;
      previous_hash: string | null;
    }>;
  }>(
    `SELECT r.entity_id, r.entity_ref, r.processed_entity, r.errors,
       f.hash AS previous_hash,
       EXISTS (
         SELECT 1 FROM refresh_state_references AS s
         WHERE s.target_entity_ref = r.entity_ref) AS referenced
     FROM refresh_state AS r
     LEFT JOIN final_entities AS f ON f.entity_id = r.entity_id
     WHERE r.entity_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))`,
    [JSON.stringify(entityIds)],
  );
  const refs = states.rows
    .filter(row => row.processed_entity !== null)
    .map(row => row.entity_ref);
  const relations = new Map<string, StitchSource['relations']>();
  if (refs.length > 0) {
    const rows = await knex.raw<{
      rows: Array<{
        source_entity_ref: string;
        type: string;
        target_entity_ref: string;
      }>;
    }>(
      `SELECT DISTINCT source_entity_ref, type, target_entity_ref
       FROM relations
       WHERE source_entity_ref = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))
       ORDER BY source_entity_ref, type, target_entity_ref`,
      [JSON.stringify(refs)],
    );
    for (const row of rows.rows) {
      const list = relations.get(row.source_entity_ref) ?? [];
      list.push({ type: row.type, targetRef: row.target_entity_ref });
      relations.set(row.source_entity_ref, list);
    }
  }
  return states.rows.map(row => ({
    entityId: row.entity_id,
    entityRef: row.entity_ref,
    processedEntity: row.processed_entity,
    errors: row.errors,
    referenced: row.referenced,
    previousHash: row.previous_hash,
    relations: relations.get(row.entity_ref) ?? [],
  }));
}
