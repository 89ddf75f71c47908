import type { Entity, JsonValue } from '@plinth/catalog-model';
import type { CatalogProcessorResult } from './CatalogProcessorResult';
import type { LocationSpec } from './LocationSpec';

/**
 * Receives what a processor finds.
 *
 * @public
 */
export type CatalogProcessorEmit = (generated: CatalogProcessorResult) => void;

/**
 * Turns the raw content of a location into results, one per entity found
 * (the default parses multi-document YAML).
 *
 * @public
 */
export type CatalogProcessorParser = (options: {
  data: Buffer;
  location: LocationSpec;
}) => AsyncIterable<CatalogProcessorResult>;

/**
 * State a processor keeps for one entity between runs, such as the ETag of
 * what it read last time; stored with the entity, JSON only.
 *
 * @public
 */
export interface CatalogProcessorCache {
  get<T extends JsonValue>(key: string): Promise<T | undefined>;
  set<T extends JsonValue>(key: string, value: T): Promise<void>;
}

/**
 * One step of catalog processing. Every method is optional; the catalog
 * calls each processor's methods in order of {@link CatalogProcessor.getPriority}.
 *
 * @example
 * ```ts
 * const processor: CatalogProcessor = {
 *   getProcessorName: () => 'TeamLabelProcessor',
 *   async preProcessEntity(entity) {
 *     return { ...entity, metadata: { ...entity.metadata, labels: { team: 'a' } } };
 *   },
 * };
 * ```
 * @public
 */
export interface CatalogProcessor {
  /** A unique, stable name, used in logs and errors. */
  getProcessorName(): string;
  /**
   * Lower runs earlier; processors of equal priority run in the order they
   * were added.
   * @defaultValue 20
   */
  getPriority?(): number;
  /**
   * Reads a location of a type this processor handles and emits what it
   * finds; returns `false` when it does not handle the type.
   */
  readLocation?(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
    parser: CatalogProcessorParser,
    cache: CatalogProcessorCache,
  ): Promise<boolean>;
  /** Changes an entity before it is validated. */
  preProcessEntity?(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity>;
  /**
   * Returns `true` when this processor knows the entity's kind and the
   * entity is valid for it; throws when it knows the kind and the entity is
   * invalid; returns `false` when it does not know the kind.
   */
  validateEntityKind?(entity: Entity): Promise<boolean>;
  /** Changes an entity after validation and emits its relations. */
  postProcessEntity?(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    cache: CatalogProcessorCache,
  ): Promise<Entity>;
}

/** The priority of a processor that does not say. @internal */
export const DEFAULT_PROCESSOR_PRIORITY = 20;
