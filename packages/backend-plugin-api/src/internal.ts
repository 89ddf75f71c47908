/**
 * The feature protocol as the engine reads it, for `@plinth/backend-app-api`
 * only: the plain-data shapes behind the creators, and the checks and call
 * site helper the engine shares with them. Plugin authors never need these;
 * they may change without notice.
 *
 * @packageDocumentation
 */
export type {
  ExtensionPointRegistration,
  InternalBackendRegistrations,
  InternalModuleRegistration,
  InternalPluginRegistration,
  LegacyFeatureRegistration,
  RegistrationInit,
} from './wiring/BackendFeature';
export { unwrapFeature } from './wiring/BackendFeature';
export type { InternalBackendFeatureLoader } from './wiring/createBackendFeatureLoader';
export { isExtensionPoint } from './wiring/createExtensionPoint';
export {
  describeCallSite,
  describeCallSiteOutside,
  describeThrowSite,
} from './wiring/identity';
export {
  getRefDefaultFactory,
  isServiceRef,
  type InternalDefaultFactory,
  type InternalServiceRef,
} from './services/createServiceRef';
export type { InternalServiceFactory } from './services/createServiceFactory';
