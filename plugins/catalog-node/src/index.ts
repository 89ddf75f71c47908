/**
 * What catalog modules and other plugins import: the catalog's extension
 * points, the processor and entity provider contracts, and the types of the
 * catalog's REST API.
 *
 * @packageDocumentation
 */
export type { LocationSpec } from './processing/LocationSpec';
export type {
  CatalogProcessorEntityResult,
  CatalogProcessorErrorResult,
  CatalogProcessorLocationResult,
  CatalogProcessorRefreshKeysResult,
  CatalogProcessorRelationResult,
  CatalogProcessorResult,
} from './processing/CatalogProcessorResult';
export {
  DEFAULT_PROCESSOR_PRIORITY,
  type CatalogProcessor,
  type CatalogProcessorCache,
  type CatalogProcessorEmit,
  type CatalogProcessorParser,
} from './processing/CatalogProcessor';
export { processingResult } from './processing/processingResult';
export { parseEntityYaml } from './processing/parseEntityYaml';
export { defaultEntityDataParser } from './processing/defaultEntityDataParser';
export type {
  PlaceholderResolver,
  PlaceholderResolverParams,
} from './processing/PlaceholderResolver';
export type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
} from './providers/EntityProvider';
export type {
  AnalyzeLocationEntityField,
  AnalyzeLocationExistingEntity,
  AnalyzeLocationGenerateEntity,
  AnalyzeLocationRequest,
  AnalyzeLocationResponse,
} from './analysis/AnalyzeLocation';
export type { ScmLocationAnalyzer } from './analysis/ScmLocationAnalyzer';
export {
  catalogProcessingExtensionPoint,
  type CatalogProcessingErrorHandler,
  type CatalogProcessingExtensionPoint,
} from './extensions/catalogProcessingExtensionPoint';
export {
  catalogAnalysisExtensionPoint,
  type CatalogAnalysisExtensionPoint,
} from './extensions/catalogAnalysisExtensionPoint';
export {
  catalogModelExtensionPoint,
  type CatalogModelExtensionPoint,
} from './extensions/catalogModelExtensionPoint';
export {
  catalogLocationsExtensionPoint,
  type CatalogLocationsExtensionPoint,
} from './extensions/catalogLocationsExtensionPoint';
export { CATALOG_FILTER_EXISTS } from './client/CATALOG_FILTER_EXISTS';
export type {
  EntityFieldsQuery,
  EntityFilterQuery,
  EntityOrderQuery,
} from './client/EntityFilterQuery';
export type {
  AddLocationRequest,
  AddLocationResponse,
  CatalogService,
  CatalogServiceRequestOptions,
  GetEntitiesByRefsRequest,
  GetEntitiesByRefsResponse,
  GetEntitiesRequest,
  GetEntitiesResponse,
  GetEntityAncestorsRequest,
  GetEntityAncestorsResponse,
  GetEntityFacetsRequest,
  GetEntityFacetsResponse,
  GetLocationsResponse,
  Location,
  QueryEntitiesCursorRequest,
  QueryEntitiesInitialRequest,
  QueryEntitiesRequest,
  QueryEntitiesResponse,
  StreamEntitiesRequest,
  ValidateEntityResponse,
} from './client/CatalogService';
export {
  DefaultCatalogService,
  type DefaultCatalogServiceOptions,
} from './client/DefaultCatalogService';
export { catalogServiceRef } from './client/catalogServiceRef';
