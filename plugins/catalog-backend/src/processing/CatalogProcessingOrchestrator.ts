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
      /** The processor caches by scope, to hand back on the next run. */
      cache: JsonObject;
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
   *
   * `cache` is what `cache` of the previous result held. Processors work
   * on a deep copy of `entity`, unless `mayChangeEntity` says that the
   * caller no longer needs it as it was: then they change it in place,
   * and the copy is saved.
   *
   * `readLocationTargets: false` checks the targets of a Location entity
   * without reading them, for callers that validate documents as given
   * and must not read remote files on the server's credentials.
   */
  process(request: {
    entity: Entity;
    cache?: JsonObject;
    hideResolvedValues?: boolean;
    mayChangeEntity?: boolean;
    readLocationTargets?: boolean;
  }): Promise<EntityProcessingResult>;
}
