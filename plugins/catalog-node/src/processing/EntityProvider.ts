import type { Entity } from '@plinth/catalog-model';

/**
 * An entity a provider hands to the catalog, to be processed.
 *
 * @public
 */
export interface DeferredEntity {
  entity: Entity;
  /**
   * Which source owns the entity; two sources with different keys cannot
   * both provide one entity ref.
   */
  locationKey?: string;
}

/**
 * A change a provider applies: `full` replaces everything the provider
 * gave before; `delta` adds and removes some entities.
 *
 * @public
 */
export type EntityProviderMutation =
  | { type: 'full'; entities: DeferredEntity[] }
  | {
      type: 'delta';
      added: DeferredEntity[];
      removed: Array<
        DeferredEntity | { entityRef: string; locationKey?: string }
      >;
    };

/**
 * How a provider talks to the catalog once connected.
 *
 * @public
 */
export interface EntityProviderConnection {
  /**
   * Writes the provider's entities. A full mutation that would remove all
   * of the provider's entities, or more than
   * `catalog.fullMutationGuard.maxDeletionShare` of them, is held back
   * until the operator confirms it in
   * `catalog.fullMutationGuard.confirmedRemovals`: nothing is written, a
   * warning says how to confirm, and the promise still resolves.
   */
  applyMutation(mutation: EntityProviderMutation): Promise<void>;
  /** Re-processes the entities that emitted any of these refresh keys. */
  refresh(options: { keys: string[] }): Promise<void>;
}

/**
 * A source of entities outside locations, such as an organisation
 * directory; the catalog connects it at start-up.
 *
 * @public
 */
export interface EntityProvider {
  /** A unique, stable name: the entities it provides are keyed by it. */
  getProviderName(): string;
  connect(connection: EntityProviderConnection): Promise<void>;
}
