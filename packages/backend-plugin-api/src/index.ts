/**
 * Contracts for Plinth plugin and module authors: the creators for plugins,
 * modules, extension points and services, and the core service refs and
 * interfaces. What only the engine needs is in
 * `@plinth/backend-plugin-api/internal`.
 *
 * @packageDocumentation
 */
export type {
  BackendFeature,
  BackendModuleRegistrationPoints,
  BackendPluginRegistrationPoints,
  DepsToInstances,
  RegisterExtensionPoint,
} from './wiring/BackendFeature';
export {
  createBackendPlugin,
  createBackendModule,
  type CreateBackendPluginOptions,
  type CreateBackendModuleOptions,
} from './wiring/createBackendPlugin';
export {
  createExtensionPoint,
  type CreateExtensionPointOptions,
  type ExtensionPoint,
  type ExtensionPointFactoryContext,
} from './wiring/createExtensionPoint';
export {
  createBackendFeatureLoader,
  type BackendFeatureLoaderResult,
  type CreateBackendFeatureLoaderOptions,
} from './wiring/createBackendFeatureLoader';
export { describeIdRule, isValidId, type IdKind } from './wiring/identity';
export {
  createServiceRef,
  type CreateServiceRefOptions,
  type ServiceFactory,
  type ServiceInstances,
  type ServiceRef,
  type ServiceRefInstance,
  type ServiceRefsToInstances,
  type ServiceScope,
} from './services/createServiceRef';
export {
  createServiceFactory,
  type PluginServiceFactoryOptions,
  type RootScopedDeps,
  type RootServiceFactoryOptions,
  type ServiceInitialization,
} from './services/createServiceFactory';
export {
  migrateDatabase,
  type MigrateDatabaseOptions,
} from './services/migrateDatabase';
export { isDatabaseUnavailable } from './services/isDatabaseUnavailable';
export {
  createJsonBodyParser,
  type CreateJsonBodyParserOptions,
} from './http/createJsonBodyParser';
export { RequestBodyTooLargeError, UnsupportedMediaTypeError } from './errors';
export { coreServices } from './services/definitions/coreServices';
export * from './services/definitions/AuditorService';
export * from './services/definitions/AuthService';
export * from './services/definitions/CacheService';
export * from './services/definitions/DatabaseService';
export * from './services/definitions/HttpRouterService';
export * from './services/definitions/LifecycleService';
export * from './services/definitions/LoggerService';
export * from './services/definitions/PermissionsRegistryService';
export * from './services/definitions/PermissionsService';
export * from './services/definitions/PluginMetadataService';
export * from './services/definitions/RootConfigService';
export * from './services/definitions/RootSystemMetadataService';
export * from './services/definitions/SchedulerService';
export * from './services/definitions/UrlReaderService';
export type {
  JsonPrimitive,
  JsonObject,
  JsonArray,
  JsonValue,
} from '@plinth/errors';
