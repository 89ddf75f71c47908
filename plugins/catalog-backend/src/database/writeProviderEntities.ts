import type { Knex } from 'knex';
import { markForStitching } from './markForStitching';
import { splitIntoChunks } from './splitIntoChunks';
import {
  upsertUnprocessedEntities,
  type LocationKeyConflict,
} from './upsertUnprocessedEntities';

const chunkSize = 5000;

/** An entity an entity provider gives, ready to store. */
export interface ProviderEntityRow {
  entityRef: string;
  entity: string;
  hash: string;
  locationKey: string | null;
}

/**
 * Writes entities of an entity provider and records that the provider
 * references them (`source_key`), so they live as long as it keeps them;
 * an entity it newly references is marked for stitching, since it may
 * have been an orphan.
 *
 * @returns the conflicts: entities not written because another location
 *   owns their ref.
 */
export async function writeProviderEntities(
  tx: Knex.Transaction,
  providerName: string,
  entities: readonly ProviderEntityRow[],
): Promise<LocationKeyConflict[]> {
  const { accepted, conflicts } = await upsertUnprocessedEntities(
    tx,
    entities.map(e => ({
      ...e,
      sourceKey: providerName,
      sourceEntityRef: null,
    })),
  );
  const gained: string[] = [];
  for (const chunk of splitIntoChunks(accepted.sort(), chunkSize)) {
    const result = await tx.raw<{ rows: Array<{ ref: string }> }>(
      `INSERT INTO refresh_state_references (source_key, target_entity_ref)
       SELECT ?, ref FROM json_array_elements_text(CAST(? AS json)) AS ref
       ON CONFLICT DO NOTHING
       RETURNING target_entity_ref AS ref`,
      [providerName, JSON.stringify(chunk)],
    );
    gained.push(...result.rows.map(row => row.ref));
  }
  // An entity that gained a source may lose its orphan annotation.
  await markForStitching(tx, { entityRefs: gained });
  return conflicts;
}
