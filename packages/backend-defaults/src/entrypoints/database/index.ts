export { databaseServiceFactory } from './databaseServiceFactory';
export {
  DatabaseManager,
  type DatabaseManagerOptions,
  type DatabaseManagerPluginDeps,
} from './DatabaseManager';
export {
  DatabaseAcquireTimeoutError,
  DatabaseError,
  type DatabaseErrorCode,
} from '../../errors';
