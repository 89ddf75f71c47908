/**
 * What catalog modules and other plugins import: the catalog's extension
 * points, the processor and entity provider contracts, and the types of the
 * catalog's REST API.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_PROCESSOR_PRIORITY,
  type CatalogProcessor,
  type CatalogProcessorCache,
  type CatalogProcessorEmit,
  type CatalogProcessorParser,
  type LocationSpec,
  type PlaceholderResolver,
  type PlaceholderResolverParams,
} from './processing/CatalogProcessor';
export {
  processingResult,
  type CatalogProcessorEntityResult,
  type CatalogProcessorErrorResult,
  type CatalogProcessorLocationResult,
  type CatalogProcessorRefreshKeysResult,
  type CatalogProcessorRelationResult,
  type CatalogProcessorResult,
} from './processing/processingResult';
export {
  defaultEntityDataParser,
  parseEntityYaml,
} from './processing/parseEntityYaml';
export type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
  EntityProviderMutationOptions,
  EntityProviderMutationResult,
} from './processing/EntityProvider';
export {
  catalogAnalysisExtensionPoint,
  catalogLocationsExtensionPoint,
  catalogModelExtensionPoint,
  catalogProcessingExtensionPoint,
  type AnalyzeLocationEntityField,
  type AnalyzeLocationExistingEntity,
  type AnalyzeLocationGenerateEntity,
  type AnalyzeLocationRequest,
  type AnalyzeLocationResponse,
  type AnalyzeOptions,
  type CatalogAnalysisExtensionPoint,
  type CatalogLocationsExtensionPoint,
  type CatalogModelExtensionPoint,
  type CatalogProcessingErrorHandler,
  type CatalogProcessingExtensionPoint,
  type LocationAnalyzer,
  type ScmLocationAnalyzer,
} from './extensionPoints';
export type {
  CatalogModelLayer,
  CatalogModelSource,
  CatalogModelSourceReadOptions,
} from './model/CatalogModelSource';
export {
  ConfigFileReader,
  type ConfigFile,
  type ConfigFileReaderOptions,
} from './files/ConfigFileReader';
export {
  CATALOG_FILTER_EXISTS,
  type EntityFieldsQuery,
  type EntityFilterQuery,
  type EntityOrderQuery,
} from './client/catalogRequest';
export type { EntitiesSearchFilter } from './permissions/catalogPermissions';
export {
  catalogServiceRef,
  type AddLocationRequest,
  type AddLocationResponse,
  type CatalogService,
  type CatalogServiceRequestOptions,
  type GetEntitiesByRefsRequest,
  type GetEntitiesByRefsResponse,
  type GetEntitiesRequest,
  type GetEntitiesResponse,
  type GetEntityAncestorsRequest,
  type GetEntityAncestorsResponse,
  type GetEntityFacetsRequest,
  type GetEntityFacetsResponse,
  type GetLocationsResponse,
  type Location,
  type QueryEntitiesCursorRequest,
  type QueryEntitiesInitialRequest,
  type QueryEntitiesRequest,
  type QueryEntitiesResponse,
  type StreamEntitiesRequest,
  type ValidateEntityResponse,
} from './client/CatalogService';
export {
  DefaultCatalogService,
  type DefaultCatalogServiceOptions,
} from './client/DefaultCatalogService';
