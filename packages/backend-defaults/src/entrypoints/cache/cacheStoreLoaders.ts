import type { LoggerService } from '@plinth/backend-plugin-api';
import type { CacheStore } from './CacheStore';

/** What a loader gets: settings already read and checked from config. */
export interface CacheStoreLoaderOptions {
  /** The Redis URL; set for the `redis` store. */
  connection?: string;
  logger: LoggerService;
}

/**
 * Every cache store by its `backend.cache.store` name. Each loader imports
 * its store's module on first use, so a backend with the memory store never
 * loads ioredis.
 */
export const cacheStoreLoaders: Readonly<
  Record<string, (options: CacheStoreLoaderOptions) => Promise<CacheStore>>
> = Object.freeze({
  memory: async () => {
    const { MemoryCacheStore } = await import('./memory/MemoryCacheStore');
    return MemoryCacheStore.create();
  },
  redis: async ({ connection, logger }) => {
    const { RedisCacheStore } = await import('./redis/RedisCacheStore');
    return RedisCacheStore.create({ connection: connection!, logger });
  },
});
