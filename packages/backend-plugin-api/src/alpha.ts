/**
 * Alpha contracts of Plinth's core services, matching Backstage's
 * `@backstage/backend-plugin-api/alpha`: their refs and interfaces may
 * change between minor versions.
 *
 * @packageDocumentation
 */
export * from './services/definitions/ActionsRegistryService';
export * from './services/definitions/ActionsService';
export * from './services/definitions/ConnectionsService';
export { declareConnection } from './wiring/declareConnection';
