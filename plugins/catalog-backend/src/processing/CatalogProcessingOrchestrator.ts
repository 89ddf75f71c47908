import type {
  CompoundEntityRef,
  Entity,
  JsonObject,
} from '@plinth/catalog-model';
import type { DeferredEntity } from '@plinth/plugin-catalog-node';

/**
 * A relation emitted while processing an entity; its source may be another
 * entity, as with the `ownerOf` side of an `ownedBy` relation.
 *
 * @internal
 */
export interface EntityRelationSpec {
  source: CompoundEntityRef;
  type: string;
  target: CompoundEntityRef;
}

/**
 * The outcome of processing one entity. With `ok: false` nothing of the
 * output can be trusted and the entity keeps its last good result; with
 * `ok: true`, `errors` holds problems that only dropped part of the output,
 * such as a child that the catalog rules refuse.
 *
 * @internal
 */
export type EntityProcessingResult =
  | {
      ok: true;
      /** Processor caches to hand back on the next run. */
      state: JsonObject;
      completedEntity: Entity;
      deferredEntities: DeferredEntity[];
      refreshKeys: Array<{ key: string }>;
      relations: EntityRelationSpec[];
      errors: Error[];
    }
  | { ok: false; errors: Error[] };

/**
 * Runs the processors over one entity.
 *
 * @internal
 */
export interface CatalogProcessingOrchestrator {
  /**
   * Never throws: failures come back as `ok: false` with their errors.
   * With `hideResolvedValues`, the messages of the errors do not quote
   * what resolving the entity's placeholders brought in, for entities
   * from callers that may not see it.
   */
  process(request: {
    entity: Entity;
    state?: JsonObject;
    hideResolvedValues?: boolean;
  }): Promise<EntityProcessingResult>;
}
