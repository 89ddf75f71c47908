import {
  createExtensionPoint,
  type BackstageCredentials,
} from '@plinth/backend-plugin-api';
import type {
  Entity,
  EntityKindSchema,
  FieldValidators,
} from '@plinth/catalog-model';
import type { CatalogModelSource } from './model/CatalogModelSource';
import type {
  CatalogProcessor,
  CatalogProcessorParser,
  LocationSpec,
  PlaceholderResolver,
} from './processing/CatalogProcessor';
import type { EntityProvider } from './processing/EntityProvider';

/**
 * Called with an entity whose processing failed, after the failure is
 * stored, for alerting or metrics.
 *
 * @public
 */
export type CatalogProcessingErrorHandler = (event: {
  unprocessedEntity: Entity;
  errors: Error[];
}) => void | Promise<void>;

/**
 * Lets catalog modules add processors, entity providers and placeholder
 * resolvers.
 *
 * @public
 */
export interface CatalogProcessingExtensionPoint {
  addProcessor(
    ...processors: Array<CatalogProcessor | CatalogProcessor[]>
  ): void;
  addEntityProvider(
    ...providers: Array<EntityProvider | EntityProvider[]>
  ): void;
  /**
   * Handles `$<key>` placeholders in entity files.
   * @throws {@link @plinth/errors#ConflictError} when `key` is already taken.
   */
  addPlaceholderResolver(key: string, resolver: PlaceholderResolver): void;
  /** Replaces the handler called for each failed entity (there is one). */
  setOnProcessingErrorHandler(handler: CatalogProcessingErrorHandler): void;
}

/**
 * The `catalog.processing` extension point.
 *
 * @example
 * ```ts
 * createBackendModule({
 *   pluginId: 'catalog',
 *   moduleId: 'team-labels',
 *   register(env) {
 *     env.registerInit({
 *       deps: { catalog: catalogProcessingExtensionPoint },
 *       async init({ catalog }) {
 *         catalog.addProcessor(new TeamLabelProcessor());
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const catalogProcessingExtensionPoint =
  createExtensionPoint<CatalogProcessingExtensionPoint>({
    id: 'catalog.processing',
  });

/**
 * Lets catalog modules change the entity model: relax or tighten field
 * rules, add kinds, and read location files in another format.
 *
 * @public
 */
export interface CatalogModelExtensionPoint {
  /** Replaces some of the field rules (entity names, label keys, ...). */
  setFieldValidators(validators: Partial<FieldValidators>): void;
  /** Adds a kind (or a stricter schema for a built-in one). */
  addEntitySchema(schema: EntityKindSchema): void;
  /**
   * Replaces the parser that turns the content of location files into
   * entities (one YAML document per entity by default). One module may
   * set it.
   *
   * @throws {@link @plinth/errors#ConflictError} when a parser is already set.
   */
  setEntityDataParser(parser: CatalogProcessorParser): void;
  /**
   * Adds a source of model layers, read once when the catalog starts; the
   * kind schemas of its layers are checked as those of `addEntitySchema`.
   */
  addModelSource(source: CatalogModelSource): void;
}

/**
 * The `catalog.model` extension point.
 *
 * @public
 */
export const catalogModelExtensionPoint =
  createExtensionPoint<CatalogModelExtensionPoint>({ id: 'catalog.model' });

/**
 * Lets catalog modules choose which location types may be registered
 * through the API.
 *
 * @public
 */
export interface CatalogLocationsExtensionPoint {
  /** Replaces the allowed types (`file` and `url` unless configured). */
  setAllowedLocationTypes(types: string[]): void;
}

/**
 * The `catalog.locations` extension point.
 *
 * @public
 */
export const catalogLocationsExtensionPoint =
  createExtensionPoint<CatalogLocationsExtensionPoint>({
    id: 'catalog.locations',
  });

/**
 * Lets catalog modules teach `POST /analyze-location` about more source
 * control hosts, or answer it altogether.
 *
 * @public
 */
export interface CatalogAnalysisExtensionPoint {
  /**
   * Replaces the analyzer behind `POST /analyze-location`. A factory is
   * called when the catalog starts with the analyzers that
   * `addScmLocationAnalyzer` collected; an analyzer given directly
   * leaves them unused. One module may set it.
   *
   * @throws {@link @plinth/errors#ConflictError} when an analyzer is already set.
   */
  setLocationAnalyzer(
    analyzerOrFactory:
      | LocationAnalyzer
      | ((options: {
          scmLocationAnalyzers: ScmLocationAnalyzer[];
        }) => Promise<{ locationAnalyzer: LocationAnalyzer }>),
  ): void;
  /** Adds an analyzer for one kind of source control host to the default analyzer. */
  addScmLocationAnalyzer(analyzer: ScmLocationAnalyzer): void;
}

/**
 * Answers `POST /analyze-location` for the caller whose credentials it is
 * given.
 *
 * @public
 */
export interface LocationAnalyzer {
  analyzeLocation(
    location: AnalyzeLocationRequest,
    credentials: BackstageCredentials,
  ): Promise<AnalyzeLocationResponse>;
}

/**
 * What a {@link ScmLocationAnalyzer} is asked to analyze.
 *
 * @public
 */
export interface AnalyzeOptions {
  url: string;
  catalogFilename?: string;
}

/**
 * The `catalog.analysis` extension point.
 *
 * @public
 */
export const catalogAnalysisExtensionPoint =
  createExtensionPoint<CatalogAnalysisExtensionPoint>({
    id: 'catalog.analysis',
  });

/**
 * Finds existing catalog files in repositories of one kind of source
 * control host.
 *
 * @public
 */
export interface ScmLocationAnalyzer {
  /** Whether this analyzer handles the URL. */
  supports(url: string): boolean;
  analyze(
    options: AnalyzeOptions,
  ): Promise<{ existing: AnalyzeLocationExistingEntity[] }>;
}

/**
 * The body of `POST /analyze-location`.
 *
 * @public
 */
export interface AnalyzeLocationRequest {
  location: LocationSpec;
  /** The catalog file name to look for. @defaultValue `'catalog-info.yaml'` */
  catalogFilename?: string;
}

/**
 * What `POST /analyze-location` answers: entity files that exist at the
 * location, and entities it suggests creating when there are none.
 *
 * @public
 */
export interface AnalyzeLocationResponse {
  existingEntityFiles: AnalyzeLocationExistingEntity[];
  generateEntities: AnalyzeLocationGenerateEntity[];
}

/**
 * An entity found in an existing catalog file.
 *
 * @public
 */
export interface AnalyzeLocationExistingEntity {
  location: LocationSpec;
  /** Whether the catalog already has this location registered. */
  isRegistered: boolean;
  entity: Entity;
}

/**
 * An entity the analyzer suggests, with the fields it filled or needs.
 *
 * @public
 */
export interface AnalyzeLocationGenerateEntity {
  entity: Partial<Entity>;
  fields: AnalyzeLocationEntityField[];
}

/**
 * One field of a suggested entity and how sure the analyzer is of it.
 *
 * @public
 */
export interface AnalyzeLocationEntityField {
  /** Dotted path, such as `spec.owner`. */
  field: string;
  state:
    'analysisSuggestedValue' | 'analysisSuggestedNoValue' | 'needsUserInput';
  value: string | null;
  description: string;
}
