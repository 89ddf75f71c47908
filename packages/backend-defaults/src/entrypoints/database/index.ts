export { databaseServiceFactory } from './databaseServiceFactory';
export {
  DatabaseManager,
  type DatabaseManagerOptions,
  type DatabaseManagerPluginDeps,
} from './DatabaseManager';
export { DatabaseConfigError } from './DatabaseConfigError';
export { DatabaseConnectionError } from './DatabaseConnectionError';
export { DatabaseLockedError } from './DatabaseLockedError';
export { DatabaseAcquireTimeoutError } from './DatabaseAcquireTimeoutError';
