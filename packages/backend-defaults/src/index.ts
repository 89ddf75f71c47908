/**
 * Default implementations of the Plinth core services, and
 * `createBackend()`, which assembles a backend from all of them.
 *
 * @packageDocumentation
 */
export * from './entrypoints/backend';
export * from './entrypoints/rootConfig';
export * from './entrypoints/rootLogger';
export * from './entrypoints/logger';
export * from './entrypoints/rootLifecycle';
export * from './entrypoints/lifecycle';
export * from './entrypoints/rootHealth';
export * from './entrypoints/rootHttpRouter';
export * from './entrypoints/httpRouter';
export * from './entrypoints/auth';
export * from './entrypoints/apiTokens';
export * from './entrypoints/httpAuth';
export * from './entrypoints/userInfo';
export * from './entrypoints/database';
export * from './entrypoints/scheduler';
export * from './entrypoints/discovery';
export * from './entrypoints/urlReader';
export * from './entrypoints/cache';
export * from './entrypoints/auditor';
export * from './entrypoints/permissions';
export * from './entrypoints/permissionsRegistry';
export * from './entrypoints/rootSystemMetadata';
export * from './entrypoints/events';
export {
  AuthConfigError,
  ConfigError,
  DatabaseAcquireTimeoutError,
  DatabaseError,
  InvalidConfigError,
  MissingConfigError,
  type ConfigErrorCode,
  type DatabaseErrorCode,
} from './errors';
