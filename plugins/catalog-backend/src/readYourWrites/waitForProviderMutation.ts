import { InputError } from '@plinth/errors';
import type {
  EntityProviderMutationOptions,
  EntityProviderMutationResult,
} from '@plinth/plugin-catalog-node';
import type { ProviderMutationOutcome } from '../database/providerEntities';
import { describeLocationKeyConflict } from '../database/upsertUnprocessedEntities';
import type { WriteWaiter } from './WriteWaiter';

/**
 * Waits, for an entity provider that asked with `options.wait`, until
 * the entities its mutation gave are processed and stitched, each with
 * everything processing emits under it, as `?wait=` does for the REST
 * API.
 *
 * @remarks
 * Entities refused because another location owns their ref are not
 * waited for: they are reported failed, with the conflict. `removed` lists
 * the entities the mutation deleted, in the same transaction, with the
 * orphans that left behind. Provider waits take no slot of
 * `catalog.readYourWrites.maxConcurrentWaits`, which bounds what callers
 * over HTTP may hold: providers are code the operator installed, and
 * each waits for its own mutation. The backend's stop ends them.
 *
 * @param givenRefs - lowercased refs of the entities the mutation gave.
 */
export async function waitForProviderMutation(
  waiter: WriteWaiter,
  options: {
    providerName: string;
    givenRefs: readonly string[];
    outcome: ProviderMutationOutcome;
    wait: NonNullable<EntityProviderMutationOptions['wait']>;
  },
): Promise<EntityProviderMutationResult> {
  const { timeoutMs } = options.wait;
  const refused = new Map(
    options.outcome.conflicts.map(conflict => [conflict.entityRef, conflict]),
  );
  const { settled, progress } = await waiter.waitFor(
    { treeRefs: options.givenRefs.filter(ref => !refused.has(ref)) },
    { timeoutMs },
  );
  const done = progress.entities.filter(e => e.processed && e.stitched);
  return {
    complete: settled,
    stitched: done.filter(e => e.served).map(e => e.entityRef),
    failed: [
      ...done
        .filter(e => e.errors.length > 0)
        .map(e => ({
          entityRef: e.entityRef,
          errors: e.errors.map(({ name, message }) => ({ name, message })),
        })),
      ...[...refused.values()].map(conflict => ({
        entityRef: conflict.entityRef,
        errors: [
          {
            name: 'ConflictError',
            message: describeLocationKeyConflict(conflict),
          },
        ],
      })),
    ],
    pending: progress.entities
      .filter(e => !(e.processed && e.stitched))
      .map(e => e.entityRef),
    removed: [...options.outcome.deletedRefs].sort(),
  };
}

/**
 * Checks the `wait` a provider gave `applyMutation`, before anything is
 * written.
 *
 * @throws {@link @plinth/errors#InputError} when `timeoutMs` is not a
 *   positive number.
 */
export function assertProviderWait(
  providerName: string,
  wait: EntityProviderMutationOptions['wait'],
): void {
  const timeoutMs = wait?.timeoutMs;
  if (wait !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw new InputError(
      `Entity provider '${providerName}' asked applyMutation to wait with 'wait.timeoutMs' ${JSON.stringify(timeoutMs)}; give a number of milliseconds greater than zero, or leave 'wait' out.`,
    );
  }
}
