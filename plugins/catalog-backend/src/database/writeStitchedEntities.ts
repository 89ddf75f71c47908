import type { Knex } from 'knex';
import type { StitchClaim } from './claimStitchTickets';
import { settleStitchClaims } from './settleStitchClaims';
import { splitIntoChunks } from './splitIntoChunks';

/** A served entity and its search rows, as the stitcher built them. */
export interface StitchedEntity {
  entityId: string;
  entityRef: string;
  hash: string;
  finalEntity: string;
  /** Whether a served form exists already, whose search rows are replaced. */
  previouslyServed: boolean;
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
 * The claims are settled last, so that the rows' locks, which processing
 * waits for when it marks entities, are held for a moment only; claims
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
       FROM json_to_recordset(CAST(? AS json)) AS x(entity_id text,
         entity_ref text, hash text, final_entity text, ticket text)
       JOIN refresh_state AS r ON r.entity_id = x.entity_id
         AND r.next_stitch_ticket IS NOT DISTINCT FROM x.ticket
       WHERE r.entity_id = ANY(ARRAY(
         SELECT json_array_elements_text(CAST(? AS json))))
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
 */
async function replaceSearchRows(
  tx: Knex.Transaction,
  entities: readonly StitchedEntity[],
  written: ReadonlySet<string>,
): Promise<void> {
  const changed = entities.filter(e => written.has(e.entityId));
  const existing = await readSearchRows(
    tx,
    changed.filter(e => e.previouslyServed).map(e => e.entityId),
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
       USING json_to_recordset(CAST(? AS json)) AS x(entity_id text, key text,
         original_value text, value text)
       WHERE s.entity_id = x.entity_id AND s.key = x.key
         AND s.original_value IS NOT DISTINCT FROM x.original_value
         AND s.value IS NOT DISTINCT FROM x.value`,
      [JSON.stringify(chunk)],
    );
  }
  for (const chunk of splitIntoChunks(added, searchChunkSize)) {
    await tx.raw(
      `INSERT INTO search (entity_id, key, original_value, value)
       SELECT * FROM json_to_recordset(CAST(? AS json)) AS x(entity_id text,
         key text, original_value text, value text)`,
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
     WHERE entity_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))`,
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
