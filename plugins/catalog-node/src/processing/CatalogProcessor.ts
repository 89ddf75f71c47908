import type { Entity, JsonValue } from '@plinth/catalog-model';
import type { CatalogProcessorResult } from './processingResult';

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

/**
 * Where entities come from: a location type (`file`, `url`, or one a
 * module adds) and its target.
 *
 * @public
 */
export interface LocationSpec {
  /** The reader that handles it, such as `url` or `file`. */
  type: string;
  /** What the reader reads, such as a URL or a path; may be a glob. */
  target: string;
  /**
   * Whether a missing target is an error (`required`) or just yields
   * nothing (`optional`).
   * @defaultValue `'required'`
   */
  presence?: 'optional' | 'required';
}

/**
 * What a placeholder resolver gets: the placeholder (`$text`), its value
 * (usually a relative or absolute URL) and ways to read it.
 *
 * @public
 */
export interface PlaceholderResolverParams {
  /** The placeholder without its `$`, such as `text`. */
  key: string;
  value: JsonValue;
  /** The location of the entity, against which relative values resolve. */
  baseUrl: string;
  /** Reads a URL through the backend's URL reader. */
  read(url: string): Promise<Buffer>;
  /** Resolves a possibly relative URL against a base. */
  resolveUrl(url: string, base: string): string;
  emit: CatalogProcessorEmit;
}

/**
 * Replaces a `{ $key: value }` placeholder in an entity with a value.
 *
 * @public
 */
export type PlaceholderResolver = (
  params: PlaceholderResolverParams,
) => Promise<JsonValue>;
