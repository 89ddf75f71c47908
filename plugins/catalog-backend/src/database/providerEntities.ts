/*
 * The entities of entity providers: full and delta mutations, with the
 * guard against mass removals.
 */
import { isInJsonArray, splitIntoChunks, jsonArrayElements } from './sqlIdioms';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  type LocationKeyConflict,
  upsertUnprocessedEntities,
} from './upsertUnprocessedEntities';
import { settleOrphans } from './entityReferences';
import { markForStitching } from './stitchQueue';
import { recordLocationKeyConflicts } from './locationKeyConflicts';
import { setDeletionSource } from '../history/changeSource';

/** References per statement. */
const chunkSize = 5000;

/** Limits on how much of its entities one full mutation may remove. */
export interface FullMutationGuard {
  /**
   * The largest share (0..1) of its entities a provider may remove at
   * once; removing all of them is held back whatever this is.
   */
  maxDeletionShare: number;
  /** Confirmation ids of held-back removals the operator allowed. */
  confirmedRemovals: readonly string[];
}

/** A removal by a full mutation large enough that it needs a confirmation. */
export interface MassRemoval {
  /** How many entities the provider has. */
  total: number;
  /** The refs it would remove, sorted. */
  removedRefs: string[];
  /** The id that confirms exactly this removal. */
  confirmationId: string;
}

/** What a provider mutation changed. */
export interface ProviderMutationOutcome {
  conflicts: LocationKeyConflict[];
  deletedRefs: string[];
  /**
   * Set when the guard held back the mutation's removals: what it gives
   * was written, and nothing was removed.
   */
  heldBack?: MassRemoval;
  /** Set when the mutation went through as a removal the operator confirmed. */
  confirmed?: MassRemoval;
}

/**
 * Makes the set of an entity provider's entities exactly `entities`:
 * writes new and changed ones, and removes the ones it no longer gives,
 * in one transaction.
 *
 * @remarks
 * A mutation that would remove all of the provider's entities, or more
 * than `guard.maxDeletionShare` of them, has its removals held back,
 * whatever the provider's size: the entities it gives are written, none
 * is removed, and the outcome says what it would remove and the id that
 * confirms it. Writing what it gives is safe, as a provider's references
 * are only ever added by a write; holding all of it back would also hold
 * back a provider that replaced its only entity by another. Once that id is in
 * `guard.confirmedRemovals` the same removal goes through. The id is
 * derived from the provider's name and the refs and uids of the entities
 * removed, so it allows no other removal, nor the same refs again once
 * they were removed and provided anew. A provider's first mutation, and
 * any that removes nothing, is never held back.
 */
export async function replaceProviderEntities(
  tx: Knex.Transaction,
  options: {
    providerName: string;
    entities: readonly ProviderEntityRow[];
    guard: FullMutationGuard;
  },
): Promise<ProviderMutationOutcome> {
  const { providerName, entities, guard } = options;
  const current = await tx.raw<{ rows: Array<{ target_entity_ref: string }> }>(
    `SELECT target_entity_ref FROM refresh_state_references WHERE source_key = ?`,
    [providerName],
  );
  const kept = new Set(entities.map(e => e.entityRef));
  const removed = current.rows
    .map(row => row.target_entity_ref)
    .filter(ref => !kept.has(ref))
    .sort();
  const total = current.rows.length;
  let confirmed: MassRemoval | undefined;
  let heldBack: MassRemoval | undefined;
  if (
    removed.length > 0 &&
    (removed.length === total ||
      removed.length > total * guard.maxDeletionShare)
  ) {
    const removal = {
      total,
      removedRefs: removed,
      confirmationId: await computeConfirmationId(tx, providerName, removed),
    };
    if (guard.confirmedRemovals.includes(removal.confirmationId)) {
      confirmed = removal;
    } else {
      heldBack = removal;
    }
  }
  const conflicts = await writeProviderEntities(tx, providerName, entities);
  await recordLocationKeyConflicts(tx, {
    sources: { providerName },
    conflicts,
  });
  if (heldBack) {
    return { conflicts, deletedRefs: [], heldBack };
  }
  const deletedRefs = await removeProviderEntities(tx, providerName, removed);
  return { conflicts, deletedRefs, ...(confirmed ? { confirmed } : {}) };
}

/** 12 hex digits of a hash of the provider's name and the removed entities. */
async function computeConfirmationId(
  tx: Knex.Transaction,
  providerName: string,
  removedRefs: readonly string[],
): Promise<string> {
  const result = await tx.raw<{
    rows: Array<{ entity_ref: string; entity_id: string }>;
  }>(
    `SELECT entity_ref, entity_id FROM refresh_state
     WHERE ${isInJsonArray('entity_ref')}
     ORDER BY entity_ref`,
    [JSON.stringify(removedRefs)],
  );
  const hash = createHash('sha256').update(providerName);
  for (const row of result.rows) {
    hash.update(`\n${row.entity_ref} ${row.entity_id}`);
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Adds and removes some of an entity provider's entities. A ref both added
 * and removed stays: the addition wins.
 */
export async function applyProviderDelta(
  tx: Knex.Transaction,
  options: {
    providerName: string;
    added: readonly ProviderEntityRow[];
    removedRefs: readonly string[];
  },
): Promise<ProviderMutationOutcome> {
  const { providerName, added } = options;
  const addedRefs = new Set(added.map(e => e.entityRef));
  const conflicts = await writeProviderEntities(tx, providerName, added);
  await recordLocationKeyConflicts(tx, {
    sources: { providerName },
    conflicts,
    refs: [...addedRefs, ...options.removedRefs],
  });
  const deletedRefs = await removeProviderEntities(
    tx,
    providerName,
    options.removedRefs.filter(ref => !addedRefs.has(ref)),
  );
  return { conflicts, deletedRefs };
}

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
  if (entityRefs.length > 0) {
    await setDeletionSource(tx, { type: 'provider', name: providerName });
  }
  for (const chunk of splitIntoChunks([...entityRefs].sort(), chunkSize)) {
    await tx.raw(
      `DELETE FROM refresh_state_references
       WHERE source_key = ?
         AND ${isInJsonArray('target_entity_ref')}`,
      [providerName, JSON.stringify(chunk)],
    );
  }
  // Whatever `catalog.orphanStrategy` says: see above.
  const { deletedRefs } = await settleOrphans(tx, entityRefs, 'delete');
  return deletedRefs;
}

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
       SELECT ?, ref FROM ${jsonArrayElements} AS ref
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
