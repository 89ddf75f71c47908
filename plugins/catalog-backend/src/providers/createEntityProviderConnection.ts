import type { LoggerService } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import type {
  DeferredEntity,
  EntityProviderConnection,
  EntityProviderMutation,
  EntityProviderMutationOptions,
  EntityProviderMutationResult,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import {
  applyProviderDelta,
  replaceProviderEntities,
  type FullMutationGuard,
  type MassRemoval,
  type ProviderMutationOutcome,
  type ProviderEntityRow,
} from '../database/providerEntities';
import {
  describeOrphanDeletion,
  quoteRefs,
} from '../database/entityReferences';
import { describeLocationKeyConflict } from '../database/upsertUnprocessedEntities';
import { refreshByKeys } from '../database/processingQueue';
import { runTransaction } from '../database/runTransaction';
import { computeStableHash } from '../shared/computeStableHash';
import { toLowerEntityRef } from '../shared/toLowerEntityRef';
import type { WriteWaiter } from '../readYourWrites/WriteWaiter';
import {
  assertProviderWait,
  waitForProviderMutation,
} from '../readYourWrites/waitForProviderMutation';

/**
 * The connection of one entity provider to the catalog: its mutations
 * write unprocessed entities keyed by the provider's name, and new or
 * changed ones are processed promptly.
 *
 * @remarks
 * A full mutation that would remove all of the provider's entities, or
 * more than `catalog.fullMutationGuard.maxDeletionShare` of them, is held
 * back (see `replaceProviderEntities`): it writes nothing and logs a
 * warning with the confirmation id that lets exactly that removal through
 * once it is in `catalog.fullMutationGuard.confirmedRemovals`. It is not
 * an error of the provider: `applyMutation` resolves, so a provider that
 * applies it while connecting, as the built-in ones do at start, does not
 * stop the catalog from starting, and the catalog keeps serving what it
 * has. Each mutation that deletes entities logs them at info.
 */
export function createEntityProviderConnection(options: {
  knex: Knex;
  providerName: string;
  logger: LoggerService;
  fullMutationGuard: FullMutationGuard;
  /** Called after each mutation commits, such as to wake processing. */
  onWritten?: () => void;
  /** Follows the mutations of providers that ask to wait for them. */
  waiter?: WriteWaiter;
}): EntityProviderConnection {
  const { knex, providerName, logger } = options;

  const report = (outcome: ProviderMutationOutcome) => {
    for (const conflict of outcome.conflicts) {
      logger.warn(describeLocationKeyConflict(conflict));
    }
    if (outcome.heldBack) {
      logger.warn(
        describeHeldBack(
          providerName,
          outcome.heldBack,
          options.fullMutationGuard.maxDeletionShare,
        ),
      );
    }
    if (outcome.confirmed) {
      logger.info(
        `Applied the full mutation of entity provider '${providerName}' that removes ${outcome.confirmed.removedRefs.length} of its ${outcome.confirmed.total} entities, as confirmation id '${outcome.confirmed.confirmationId}' in 'catalog.fullMutationGuard.confirmedRemovals' allows.`,
      );
    }
    if (outcome.deletedRefs.length > 0) {
      logger.info(
        describeOrphanDeletion(
          outcome.deletedRefs,
          `entity provider '${providerName}' stopped providing them or their ancestors`,
        ),
      );
    }
  };

  const write = async (
    mutation: EntityProviderMutation,
  ): Promise<{ outcome: ProviderMutationOutcome; givenRefs: string[] }> => {
    if (mutation.type === 'full') {
      const entities = toRows(
        providerName,
        mutation.entities,
        'entities',
        logger,
      );
      const outcome = await runTransaction(knex, tx =>
        replaceProviderEntities(tx, {
          providerName,
          entities,
          guard: options.fullMutationGuard,
        }),
      );
      return { outcome, givenRefs: entities.map(e => e.entityRef) };
    }
    if (mutation.type !== 'delta') {
      throw new InputError(
        `Entity provider '${providerName}' applied a mutation of unknown type '${String((mutation as { type?: unknown }).type)}'; use 'full' or 'delta'.`,
      );
    }
    const added = toRows(providerName, mutation.added, 'added', logger);
    const removedRefs = mutation.removed.map((removed, index) => {
      if ('entityRef' in removed) {
        if (typeof removed.entityRef !== 'string' || removed.entityRef === '') {
          throw new InputError(
            `Entity provider '${providerName}' removed an entity without an entity ref at removed[${index}]; give 'entityRef' as 'kind:namespace/name' or the entity itself.`,
          );
        }
        return removed.entityRef.toLowerCase();
      }
      assertIdentifiable(providerName, removed, `removed[${index}]`);
      return toLowerEntityRef(removed.entity);
    });
    const outcome = await runTransaction(knex, tx =>
      applyProviderDelta(tx, { providerName, added, removedRefs }),
    );
    return { outcome, givenRefs: added.map(e => e.entityRef) };
  };

  return {
    async applyMutation(
      mutation: EntityProviderMutation,
      mutationOptions?: EntityProviderMutationOptions,
    ): Promise<EntityProviderMutationResult | void> {
      assertProviderWait(providerName, mutationOptions?.wait);
      const { outcome, givenRefs } = await write(mutation);
      report(outcome);
      options.onWritten?.();
      if (mutationOptions?.wait && options.waiter) {
        return waitForProviderMutation(options.waiter, {
          providerName,
          givenRefs,
          outcome,
          wait: mutationOptions.wait,
        });
      }
    },

    async refresh({ keys }: { keys: string[] }): Promise<void> {
      await refreshByKeys(knex, keys);
    },
  };
}

function describeHeldBack(
  providerName: string,
  { total, removedRefs, confirmationId }: MassRemoval,
  maxDeletionShare: number,
): string {
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  const why =
    removedRefs.length < total
      ? `${removedRefs.length} of its ${total} entities (${percent(removedRefs.length / total)}), more than 'catalog.fullMutationGuard.maxDeletionShare' allows (${percent(maxDeletionShare)})`
      : total === 1
        ? 'its only entity'
        : `all ${total} of its entities`;
  return `Held back the removals of the full mutation of entity provider '${providerName}', which would remove ${why}: ${quoteRefs(removedRefs, 5)}. The entities it gives were written, and the catalog keeps serving these ones. If the provider really lost them, add '${confirmationId}' to 'catalog.fullMutationGuard.confirmedRemovals' and restart; that id confirms exactly this removal.`;
}

function toRows(
  providerName: string,
  entities: readonly DeferredEntity[],
  field: string,
  logger: LoggerService,
): ProviderEntityRow[] {
  const rows = new Map<string, ProviderEntityRow>();
  entities.forEach((deferred, index) => {
    assertIdentifiable(providerName, deferred, `${field}[${index}]`);
    const entityRef = toLowerEntityRef(deferred.entity);
    if (rows.has(entityRef)) {
      logger.warn(
        `Entity provider '${providerName}' gave entity '${entityRef}' more than once in one mutation, again at ${field}[${index}]; the first one is used.`,
      );
      return;
    }
    rows.set(entityRef, {
      entityRef,
      entity: JSON.stringify(deferred.entity),
      hash: computeStableHash(deferred.entity),
      locationKey: deferred.locationKey ?? null,
    });
  });
  return [...rows.values()];
}

function assertIdentifiable(
  providerName: string,
  deferred: DeferredEntity,
  at: string,
): void {
  const entity = deferred?.entity as
    | { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }
    | undefined;
  const namespace = entity?.metadata?.namespace;
  if (
    typeof entity?.kind !== 'string' ||
    entity.kind === '' ||
    typeof entity.metadata?.name !== 'string' ||
    entity.metadata.name === '' ||
    (namespace !== undefined &&
      (typeof namespace !== 'string' || namespace === ''))
  ) {
    throw new InputError(
      `Entity provider '${providerName}' gave an entity without a kind or 'metadata.name' at ${at}; every entity needs a non-empty 'kind' and 'metadata.name' (and 'metadata.namespace', if given).`,
    );
  }
}
