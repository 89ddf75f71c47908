export { cacheServiceFactory } from './cacheServiceFactory';
export { CacheManager, type CacheManagerOptions } from './CacheManager';
export {
  DefaultCacheService,
  type DefaultCacheServiceOptions,
} from './DefaultCacheService';
export type { CacheStore } from './CacheStore';
export {
  MemoryCacheStore,
  type MemoryCacheStoreOptions,
} from './memory/MemoryCacheStore';
export {
  RedisCacheStore,
  type RedisCacheStoreOptions,
} from './redis/RedisCacheStore';
