/*
 * `location_key_conflicts`: the entities sources emitted but could not
 * write because another location owns their ref, kept for as long as the
 * source keeps emitting them, so that diagnostics can list them.
 */
import { isInJsonArray, jsonRecordset, splitIntoChunks } from './sqlIdioms';
import type { Knex } from 'knex';
import type { LocationKeyConflict } from './upsertUnprocessedEntities';

/** Rows per statement. */
const chunkSize = 1000;

/**
 * Who emitted the entities of one write: an entity provider by name, or
 * the parents whose processing emitted them, by lowercased ref.
 */
export type ConflictSources =
  | { providerName: string; parentRefs?: undefined }
  | { providerName?: undefined; parentRefs: readonly string[] };

/**
 * Makes the recorded conflicts of the sources those of their latest
 * write: conflicts it found are added, or keep the time they were first
 * found; recorded ones it no longer has are dropped, as the source now
 * wrote the entity, or stopped emitting it. With `refs`, only conflicts
 * over those refs are in question, for a write that gave only part of
 * the source's entities (a provider's delta).
 *
 * Runs in the transaction of the write, so the record never disagrees
 * with what was written. A conflict goes with its contested entity and
 * with its parent through the foreign keys, since either leaving settles it.
 */
export async function recordLocationKeyConflicts(
  tx: Knex.Transaction,
  options: {
    sources: ConflictSources;
    conflicts: readonly LocationKeyConflict[];
    refs?: readonly string[];
  },
): Promise<void> {
  const { sources, conflicts, refs } = options;
  const column =
    sources.providerName === undefined ? 'source_entity_ref' : 'source_key';
  const sourceIds =
    sources.providerName === undefined
      ? sources.parentRefs
      : [sources.providerName];
  if (sourceIds.length === 0) {
    return;
  }
  const rows = conflicts.map(c => ({
    entity_ref: c.entityRef,
    source: sources.providerName ?? c.sourceEntityRef,
    location_key: c.locationKey,
    existing_location_key: c.existingLocationKey,
  }));
  await tx.raw(
    `DELETE FROM location_key_conflicts AS c
     WHERE ${isInJsonArray(`c.${column}`)}
       ${refs ? `AND ${isInJsonArray('c.entity_ref')}` : ''}
       AND NOT EXISTS (
         SELECT 1 FROM ${jsonRecordset(['entity_ref', 'source'])}
         WHERE x.entity_ref = c.entity_ref AND x.source = c.${column}
       )`,
    [
      JSON.stringify(sourceIds),
      ...(refs ? [JSON.stringify(refs)] : []),
      JSON.stringify(rows),
    ],
  );
  for (const chunk of splitIntoChunks(rows, chunkSize)) {
    await tx.raw(
      `WITH x AS (
         SELECT * FROM ${jsonRecordset(['entity_ref', 'source', 'location_key', 'existing_location_key'])}
       ), updated AS (
         UPDATE location_key_conflicts AS c SET
           location_key = x.location_key,
           existing_location_key = x.existing_location_key
         FROM x
         WHERE c.entity_ref = x.entity_ref AND c.${column} = x.source
         RETURNING c.entity_ref, c.${column} AS source
       )
       INSERT INTO location_key_conflicts
         (entity_ref, ${column}, location_key, existing_location_key)
       SELECT x.entity_ref, x.source, x.location_key, x.existing_location_key
       FROM x
       WHERE NOT EXISTS (
         SELECT 1 FROM updated
         WHERE updated.entity_ref = x.entity_ref AND updated.source = x.source
       )
         AND EXISTS (SELECT 1 FROM refresh_state AS r WHERE r.entity_ref = x.entity_ref)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(chunk)],
    );
  }
}
