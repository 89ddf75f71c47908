/**
 * Contracts for Plinth plugin and module authors: the creators for plugins,
 * modules, extension points and services, and the core service refs and
 * interfaces.
 *
 * @packageDocumentation
 */
export type { BackendFeature } from './wiring/BackendFeature';
export {
  createBackendPlugin,
  type CreateBackendPluginOptions,
} from './wiring/createBackendPlugin';
export {
  createBackendModule,
  type CreateBackendModuleOptions,
} from './wiring/createBackendModule';
export {
  createExtensionPoint,
  type CreateExtensionPointOptions,
} from './wiring/createExtensionPoint';
export {
  createBackendFeatureLoader,
  type BackendFeatureLoaderResult,
  type CreateBackendFeatureLoaderOptions,
  type InternalBackendFeatureLoader,
} from './wiring/createBackendFeatureLoader';
export type {
  ExtensionPoint,
  ExtensionPointFactoryContext,
} from './wiring/ExtensionPoint';
export type {
  BackendModuleRegistrationPoints,
  BackendPluginRegistrationPoints,
  DepsToInstances,
  RegisterExtensionPoint,
} from './wiring/RegistrationPoints';
export type {
  ExtensionPointRegistration,
  InternalBackendRegistrations,
  InternalModuleRegistration,
  InternalPluginRegistration,
  LegacyFeatureRegistration,
  RegistrationInit,
} from './wiring/FeatureRegistrations';
export { isExtensionPoint } from './wiring/isExtensionPoint';
export { describeCallSite } from './wiring/describeCallSite';
export { describeIdRule, isValidId, type IdKind } from './wiring/assertValidId';
export {
  migrateDatabase,
  type MigrateDatabaseOptions,
} from './database/migrateDatabase';
export * from './services/system';
export * from './services/definitions';
export type {
  JsonPrimitive,
  JsonObject,
  JsonArray,
  JsonValue,
} from '@plinth/errors';
export type { HumanDuration } from './types/HumanDuration';
