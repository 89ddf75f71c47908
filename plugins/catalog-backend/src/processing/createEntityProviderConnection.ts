import type { LoggerService } from '@plinth/backend-plugin-api';
import { ConflictError, InputError } from '@plinth/errors';
import type {
  DeferredEntity,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import { applyProviderDelta } from '../database/applyProviderDelta';
import { describeLocationKeyConflict } from '../database/describeLocationKeyConflict';
import { refreshByKeys } from '../database/refreshByKeys';
import {
  replaceProviderEntities,
  type FullMutationGuard,
  type ProviderMutationOutcome,
} from '../database/replaceProviderEntities';
import { runTransaction } from '../database/runTransaction';
import type { ProviderEntityRow } from '../database/writeProviderEntities';
import { computeStableHash } from './computeStableHash';
import { toLowerEntityRef } from './toLowerEntityRef';

/**
 * The connection of one entity provider to the catalog: its mutations
 * write unprocessed entities keyed by the provider's name, and new or
 * changed ones are processed promptly.
 */
export function createEntityProviderConnection(options: {
  knex: Knex;
  providerName: string;
  logger: LoggerService;
  fullMutationGuard: FullMutationGuard;
}): EntityProviderConnection {
  const { knex, providerName, logger } = options;

  const report = (outcome: ProviderMutationOutcome) => {
    for (const conflict of outcome.conflicts) {
      logger.warn(describeLocationKeyConflict(conflict));
    }
  };

  return {
    async applyMutation(mutation: EntityProviderMutation): Promise<void> {
      if (mutation.type === 'full') {
        const entities = toRows(
          providerName,
          mutation.entities,
          'entities',
          logger,
        );
        try {
          report(
            await runTransaction(knex, tx =>
              replaceProviderEntities(tx, {
                providerName,
                entities,
                guard: options.fullMutationGuard,
              }),
            ),
          );
        } catch (error) {
          if (error instanceof ConflictError) {
            logger.error(error.message);
          }
          throw error;
        }
        return;
      }
      if (mutation.type !== 'delta') {
        throw new InputError(
          `Entity provider '${providerName}' applied a mutation of unknown type '${String((mutation as { type?: unknown }).type)}'; use 'full' or 'delta'.`,
        );
      }
      const added = toRows(providerName, mutation.added, 'added', logger);
      const removedRefs = mutation.removed.map((removed, index) => {
        if ('entityRef' in removed) {
          if (
            typeof removed.entityRef !== 'string' ||
            removed.entityRef === ''
          ) {
            throw new InputError(
              `Entity provider '${providerName}' removed an entity without an entity ref at removed[${index}]; give 'entityRef' as 'kind:namespace/name' or the entity itself.`,
            );
          }
          return removed.entityRef.toLocaleLowerCase('en-US');
        }
        assertIdentifiable(providerName, removed, `removed[${index}]`);
        return toLowerEntityRef(removed.entity);
      });
      report(
        await runTransaction(knex, tx =>
          applyProviderDelta(tx, { providerName, added, removedRefs }),
        ),
      );
    },

    async refresh({ keys }: { keys: string[] }): Promise<void> {
      await refreshByKeys(knex, keys);
    },
  };
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
