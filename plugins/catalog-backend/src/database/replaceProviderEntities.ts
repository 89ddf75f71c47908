import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { removeProviderEntities } from './removeProviderEntities';
import type { LocationKeyConflict } from './upsertUnprocessedEntities';
import {
  writeProviderEntities,
  type ProviderEntityRow,
} from './writeProviderEntities';

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
     WHERE entity_ref = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))
     ORDER BY entity_ref`,
    [JSON.stringify(removedRefs)],
  );
  const hash = createHash('sha256').update(providerName);
  for (const row of result.rows) {
    hash.update(`\n${row.entity_ref} ${row.entity_id}`);
  }
  return hash.digest('hex').slice(0, 12);
}
