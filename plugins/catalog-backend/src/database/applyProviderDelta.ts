import type { Knex } from 'knex';
import { removeProviderEntities } from './removeProviderEntities';
import type { ProviderMutationOutcome } from './replaceProviderEntities';
import {
  writeProviderEntities,
  type ProviderEntityRow,
} from './writeProviderEntities';

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
  const deletedRefs = await removeProviderEntities(
    tx,
    providerName,
    options.removedRefs.filter(ref => !addedRefs.has(ref)),
  );
  return { conflicts, deletedRefs };
}
