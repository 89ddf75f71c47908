import type { Knex } from 'knex';
import { deleteOrphans } from './deleteOrphans';
import { splitIntoChunks } from './splitIntoChunks';

const chunkSize = 5000;

/**
 * Drops an entity provider's references to entities, and deletes those
 * nobody else references, with the descendants this leaves unreferenced,
 * whatever the orphan strategy: a provider removing an entity means it is
 * gone, as when a location is unregistered.
 *
 * @returns the refs of the deleted entities.
 */
export async function removeProviderEntities(
  tx: Knex.Transaction,
  providerName: string,
  entityRefs: readonly string[],
): Promise<string[]> {
  for (const chunk of splitIntoChunks([...entityRefs].sort(), chunkSize)) {
    await tx.raw(
      `DELETE FROM refresh_state_references
       WHERE source_key = ?
         AND target_entity_ref = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))`,
      [providerName, JSON.stringify(chunk)],
    );
  }
  return deleteOrphans(tx, entityRefs);
}
