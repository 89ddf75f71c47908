/*
 * What stitching reads (the sources of served entities) and writes (served
 * entities and their search rows).
 */
import {
  isInJsonArray,
  jsonRecordset,
  splitIntoChunks,
  isReferenced,
} from './sqlIdioms';
import type { Knex } from 'knex';
import { type StitchClaim, settleStitchClaims } from './stitchQueue';

/** A served entity and its search rows, as the stitcher built them. */
export interface StitchedEntity {
  entityId: string;
  entityRef: string;
  hash: string;
  finalEntity: string;
  searchRows: Array<{
    key: string;
    original_value: string | null;
    value: string | null;
  }>;
}

const entityChunkSize = 500;
const searchChunkSize = 10_000;

/**
 * Ends a batch of stitches in one transaction: writes the served entities
 * and search rows of those whose hash changed, and settles each claim
 * whose ticket is unchanged. A claim whose ticket changed since it was
 * claimed stays due, so the entity is stitched once more with newer data;
 * its served row is only written while the ticket is still the claimed
 * one, so a slow stitcher cannot overwrite a newer stitch.
 *
 * The claims are settled last, so that the locks on their queue rows,
 * which marking the entities waits for, are held for a moment only; claims
 * whose rows another transaction holds are returned unsettled, for the
 * caller to settle after this transaction (see {@link settleStitchClaims}).
 *
 * @returns the ids of the entities whose served form was written, and the
 *   claims left unsettled.
 */
export async function writeStitchedEntities(
  tx: Knex.Transaction,
  claims: readonly StitchClaim[],
  entities: readonly StitchedEntity[],
): Promise<{ written: string[]; unsettled: StitchClaim[] }> {
  if (claims.length === 0) {
    return { written: [], unsettled: [] };
  }
  const tickets = new Map(claims.map(c => [c.entityId, c.ticket]));
  const written: string[] = [];
  const toWrite = entities.filter(e => tickets.has(e.entityId));
  for (const chunk of splitIntoChunks(toWrite, entityChunkSize)) {
    const result = await tx.raw<{ rows: Array<{ entity_id: string }> }>(
      `INSERT INTO final_entities (entity_id, entity_ref, hash, final_entity, last_updated_at)
       SELECT x.entity_id, x.entity_ref, x.hash, x.final_entity, now()
       FROM ${jsonRecordset(['entity_id', 'entity_ref', 'hash', 'final_entity', 'ticket'])}
       JOIN stitch_queue AS q ON q.entity_id = x.entity_id
         AND q.next_stitch_ticket = x.ticket
       WHERE ${isInJsonArray('q.entity_id')}
       ORDER BY x.entity_id
       ON CONFLICT (entity_id) DO UPDATE SET
         entity_ref = EXCLUDED.entity_ref,
         hash = EXCLUDED.hash,
         final_entity = EXCLUDED.final_entity,
         last_updated_at = EXCLUDED.last_updated_at
       WHERE final_entities.hash <> EXCLUDED.hash
       RETURNING entity_id`,
      [
        JSON.stringify(
          chunk.map(e => ({
            entity_id: e.entityId,
            entity_ref: e.entityRef,
            hash: e.hash,
            final_entity: e.finalEntity,
            ticket: tickets.get(e.entityId),
          })),
        ),
        JSON.stringify(chunk.map(e => e.entityId)),
      ],
    );
    written.push(...result.rows.map(row => row.entity_id));
  }
  if (written.length > 0) {
    await replaceSearchRows(tx, toWrite, new Set(written));
  }
  const unsettled = await settleStitchClaims(tx, claims);
  return { written, unsettled };
}

/**
 * Writes the search rows of entities whose served form changed. An entity
 * served before gets only the difference, since a stitch that only adds a
 * relation leaves most of its rows as they were.
 *
 * The rows are read after the served form was written, never judged from
 * what the stitch read earlier: two stitches of one entity can overlap
 * (two rounds, or two replicas, when it is marked again while the first
 * works), and the second one's write waits for the first's row lock, so
 * only after it may it see the rows the first one added. A stitch that
 * took the entity for new from its earlier read inserted every row again.
 */
async function replaceSearchRows(
  tx: Knex.Transaction,
  entities: readonly StitchedEntity[],
  written: ReadonlySet<string>,
): Promise<void> {
  const changed = entities.filter(e => written.has(e.entityId));
  const existing = await readSearchRows(
    tx,
    changed.map(e => e.entityId),
  );
  const removed: SearchRecord[] = [];
  const added: SearchRecord[] = [];
  for (const entity of changed) {
    const before =
      existing.get(entity.entityId) ?? new Map<string, SearchRecord>();
    const after = new Set<string>();
    for (const row of entity.searchRows) {
      const record = { entity_id: entity.entityId, ...row };
      const key = recordKey(record);
      after.add(key);
      if (!before.has(key)) {
        added.push(record);
      }
    }
    for (const [key, record] of before) {
      if (!after.has(key)) {
        removed.push(record);
      }
    }
  }
  for (const chunk of splitIntoChunks(removed, searchChunkSize)) {
    await tx.raw(
      `DELETE FROM search AS s
       USING ${jsonRecordset(['entity_id', 'key', 'original_value', 'value'])}
       WHERE s.entity_id = x.entity_id AND s.key = x.key
         AND s.original_value IS NOT DISTINCT FROM x.original_value
         AND s.value IS NOT DISTINCT FROM x.value`,
      [JSON.stringify(chunk)],
    );
  }
  for (const chunk of splitIntoChunks(added, searchChunkSize)) {
    await tx.raw(
      `INSERT INTO search (entity_id, key, original_value, value)
       SELECT * FROM ${jsonRecordset(['entity_id', 'key', 'original_value', 'value'])}`,
      [JSON.stringify(chunk)],
    );
  }
}

interface SearchRecord {
  entity_id: string;
  key: string;
  original_value: string | null;
  value: string | null;
}

async function readSearchRows(
  tx: Knex.Transaction,
  entityIds: readonly string[],
): Promise<Map<string, Map<string, SearchRecord>>> {
  const byEntity = new Map<string, Map<string, SearchRecord>>();
  if (entityIds.length === 0) {
    return byEntity;
  }
  const result = await tx.raw<{ rows: SearchRecord[] }>(
    `SELECT entity_id, key, original_value, value FROM search
     WHERE ${isInJsonArray('entity_id')}`,
    [JSON.stringify(entityIds)],
  );
  for (const row of result.rows) {
    const rows = byEntity.get(row.entity_id) ?? new Map<string, SearchRecord>();
    rows.set(recordKey(row), row);
    byEntity.set(row.entity_id, rows);
  }
  return byEntity;
}

function recordKey(row: SearchRecord): string {
  return [row.key, row.original_value ?? '\u0001', row.value ?? '\u0001'].join(
    '\u0000',
  );
}

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
       ${isReferenced('r.entity_ref')} AS referenced
     FROM refresh_state AS r
     LEFT JOIN final_entities AS f ON f.entity_id = r.entity_id
     WHERE ${isInJsonArray('r.entity_id')}`,
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
       WHERE ${isInJsonArray('source_entity_ref')}
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
