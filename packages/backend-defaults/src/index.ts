/**
 * Default implementations of the Plinth core services.
 *
 * @packageDocumentation
 */
export * from './entrypoints/rootConfig';
