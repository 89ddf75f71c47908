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
 * Options of {@link EntityProviderConnection.applyMutation}.
 *
 * @public
 */
export interface EntityProviderMutationOptions {
  /**
   * Waits until the mutation's entities are processed and stitched, for
   * at most `timeoutMs` milliseconds.
   */
  wait?: { timeoutMs: number };
}

/**
 * What {@link EntityProviderConnection.applyMutation} resolves with when
 * asked to wait. Refs are lowercased `kind:namespace/name`.
 *
 * @public
 */
export interface EntityProviderMutationResult {
  /** Every affected entity is processed and stitched: reads serve them. */
  complete: boolean;
  /** The affected entities served now. */
  stitched: string[];
  /**
   * The affected entities whose last processing reported errors (also in
   * their `status.items` when they are served), with the errors.
   */
  failed: Array<{
    entityRef: string;
    errors: Array<{ name: string; message: string }>;
  }>;
  /** The affected entities not yet processed and stitched. */
  pending: string[];
  /** The removed entities that the catalog no longer has. */
  removed: string[];
}

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
   *
   * With `options.wait`, the promise resolves once the entities the
   * mutation added or changed, and everything processing emits under
   * them, are processed and stitched, so every read of the catalog serves
   * them, or once `wait.timeoutMs` is up; it resolves with what was
   * stitched, what failed and what is still pending. Without it, the
   * promise resolves once the mutation is written, with nothing.
   */
  applyMutation(
    mutation: EntityProviderMutation,
    options?: EntityProviderMutationOptions,
  ): Promise<EntityProviderMutationResult | void>;
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
