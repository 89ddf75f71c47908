import { ConflictError } from '@plinth/errors';
import type { Knex } from 'knex';
import { removeProviderEntities } from './removeProviderEntities';
import type { LocationKeyConflict } from './upsertUnprocessedEntities';
import {
  writeProviderEntities,
  type ProviderEntityRow,
} from './writeProviderEntities';

/** Limits on how much of its entities one full mutation may delete. */
export interface FullMutationGuard {
  /** The largest share (0..1) of its current entities a provider may delete at once. */
  maxDeletionShare: number;
  /** The guard applies only to providers that have at least this many entities. */
  minEntities: number;
}

/** What a provider mutation changed. */
export interface ProviderMutationOutcome {
  conflicts: LocationKeyConflict[];
  deletedRefs: string[];
}

/**
 * Makes the set of an entity provider's entities exactly `entities`:
 * writes new and changed ones, and removes the ones it no longer gives,
 * in one transaction.
 *
 * @throws {@link @plinth/errors#ConflictError} without writing anything,
 *   when the mutation would delete a larger share of the provider's
 *   entities than the guard allows.
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
    .filter(ref => !kept.has(ref));
  const total = current.rows.length;
  if (
    total >= guard.minEntities &&
    removed.length > total * guard.maxDeletionShare
  ) {
    const percent = (share: number) => `${Math.round(share * 100)}%`;
    throw new ConflictError(
      `Refused the full mutation of entity provider '${providerName}': it would delete ${removed.length} of its ${total} entities (${percent(removed.length / total)}), more than 'catalog.fullMutationGuard.maxDeletionShare' allows (${percent(guard.maxDeletionShare)}). If the provider really lost these entities, raise that setting, or remove them with a delta mutation.`,
    );
  }
  const conflicts = await writeProviderEntities(tx, providerName, entities);
  const deletedRefs = await removeProviderEntities(tx, providerName, removed);
  return { conflicts, deletedRefs };
}
