/**
 * Default implementations of the alpha core services, matching
 * `@backstage/backend-defaults/alpha`; `createBackend()` already provides
 * them.
 *
 * @packageDocumentation
 */
export * from './entrypoints/actions';
export * from './entrypoints/instanceMetadata';
export * from './entrypoints/metrics';
export * from './entrypoints/tracing';
export type { InstrumentationScope } from './opentelemetry/readInstrumentationScope';
export * from './entrypoints/connections';
export * from './entrypoints/permissionsAuthorizer';
