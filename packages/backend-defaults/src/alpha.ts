/**
 * Default implementations of the alpha core services, matching
 * `@backstage/backend-defaults/alpha`; `createBackend()` already provides
 * them.
 *
 * @packageDocumentation
 */
export * from './entrypoints/actions';
export * from './entrypoints/connections';
