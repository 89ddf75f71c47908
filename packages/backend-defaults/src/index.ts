/**
 * Default implementations of the Plinth core services, and
 * `createBackend()`, which assembles a backend from all of them.
 *
 * @packageDocumentation
 */
export * from './entrypoints/rootConfig';
