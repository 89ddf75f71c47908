import type {
  CacheService,
  Config,
  LifecycleService,
  LoggerService,
} from '@plinth/backend-plugin-api';
import { quoteList, ServiceUnavailableError } from '@plinth/errors';
import { readDurationFromConfig } from '../../config';
import { ConfigError } from '../../errors';
import type { CacheStore } from './CacheStore';
import { DefaultCacheService } from './DefaultCacheService';

/**
 * Options for {@link CacheManager.fromConfig}.
 *
 * @public
 */
export interface CacheManagerOptions {
  /** The root logger; plugin caches log through its children. */
  logger: LoggerService;
  /** The root lifecycle, whose shutdown hook closes the store. */
  lifecycle: LifecycleService;
}

/** What a loader gets: settings already read and checked from config. */
interface CacheStoreLoaderOptions {
  /** The Redis URL; set for the `redis` store. */
  connection?: string;
  logger: LoggerService;
}

/**
 * Every cache store by its `backend.cache.store` name. Each loader imports
 * its store's module on first use, so a backend with the memory store never
 * loads ioredis.
 */
const cacheStoreLoaders: Readonly<
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

/**
 * Owns the one cache store of a backend and hands each plugin its own
 * namespace in it.
 *
 * @remarks
 * Reads `backend.cache.store` (`memory` by default, or `redis`),
 * `backend.cache.connection` (the Redis URL) and `backend.cache.defaultTtl`.
 * The store is loaded when the first plugin cache is created and closed by
 * a root shutdown hook named `'close cache store'`.
 *
 * @public
 */
export class CacheManager {
  readonly #load: () => Promise<CacheStore>;
  readonly #logger: LoggerService;
  readonly #defaultTtl: number | undefined;
  #store: Promise<CacheStore> | undefined;
  #closed = false;

  /**
   * Reads and checks the cache settings; nothing connects yet.
   *
   * @example
   * ```ts
   * const manager = CacheManager.fromConfig(config, { logger, lifecycle });
   * const cache = manager.forPlugin('catalog');
   * ```
   * @throws {@link @plinth/backend-defaults#ConfigError} with code
   *   `CONFIG_CACHE_INVALID` for an unknown store or a missing or invalid
   *   Redis connection;
   *   {@link @plinth/backend-defaults#InvalidConfigError} for a default ttl
   *   that is not a duration longer than zero.
   */
  static fromConfig(
    config: Config,
    options: CacheManagerOptions,
  ): CacheManager {
    const storeName =
      config.getOptionalString('backend.cache.store') ?? 'memory';
    if (!Object.hasOwn(cacheStoreLoaders, storeName)) {
      throw cacheConfigErrors.unknownStore(
        storeName,
        Object.keys(cacheStoreLoaders),
      );
    }
    const connection =
      storeName === 'redis' ? readRedisConnection(config) : undefined;
    const defaultTtl = readDurationFromConfig(
      config,
      'backend.cache.defaultTtl',
      { allowZero: false },
    );
    const load = () =>
      cacheStoreLoaders[storeName]({ connection, logger: options.logger });
    return new CacheManager(load, defaultTtl, options);
  }

  private constructor(
    load: () => Promise<CacheStore>,
    defaultTtl: number | undefined,
    options: CacheManagerOptions,
  ) {
    this.#load = load;
    this.#defaultTtl = defaultTtl;
    this.#logger = options.logger;
    options.lifecycle.addShutdownHook(() => this.#close(), {
      name: 'close cache store',
    });
  }

  /**
   * The cache of one plugin: keys are stored as `<pluginId>:<key>`, and
   * values set without a ttl get `backend.cache.defaultTtl`.
   */
  forPlugin(pluginId: string): CacheService {
    // Load the store now, while plugins start, so that connection problems
    // show up in the startup logs rather than at the first request.
    void this.#getStore().catch(() => undefined);
    return DefaultCacheService.create({
      store: () => this.#getStore(),
      pluginId,
      logger: this.#logger.child({ plugin: pluginId }),
      defaultTtl: this.#defaultTtl,
    });
  }

  #getStore(): Promise<CacheStore> {
    if (this.#closed) {
      return Promise.reject(
        new ServiceUnavailableError(
          'The cache store is closed because the backend stopped; use the cache only before the root shutdown hooks run.',
        ),
      );
    }
    if (!this.#store) {
      const store = this.#load();
      this.#store = store;
      // A failed load is retried by the next call instead of being kept.
      store.catch(() => {
        if (this.#store === store) {
          this.#store = undefined;
        }
      });
    }
    return this.#store;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    const store = this.#store;
    this.#store = undefined;
    // A store that failed to load has nothing to close.
    const loaded = await store?.catch(() => undefined);
    await loaded?.close();
  }
}

/**
 * The Redis URL at `backend.cache.connection`, checked without loading
 * ioredis, so a bad value fails when the cache is created.
 *
 * @throws {@link @plinth/backend-defaults#ConfigError} when it is missing or not a Redis URL.
 */
function readRedisConnection(config: Config): string {
  const connection = config.getOptionalString('backend.cache.connection');
  if (connection === undefined) {
    throw cacheConfigErrors.missingConnection('redis');
  }
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw cacheConfigErrors.invalidConnection('a value that is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw cacheConfigErrors.invalidConnection(
      `a URL with protocol '${url.protocol}'`,
    );
  }
  return connection;
}

const connectionExample = "'redis://:password@localhost:6379'";

/**
 * The errors of cache settings under `backend.cache` that cannot be used.
 * Messages never repeat the connection string, which may hold a password.
 */
const cacheConfigErrors = {
  unknownStore(store: string, validStores: readonly string[]): ConfigError {
    return new ConfigError(
      'CONFIG_CACHE_INVALID',
      `Unknown cache store '${store}' at 'backend.cache.store': use one of ${quoteList(validStores)}.`,
      { key: 'backend.cache.store' },
    );
  },

  missingConnection(store: string): ConfigError {
    return new ConfigError(
      'CONFIG_CACHE_INVALID',
      `Missing config at 'backend.cache.connection': the '${store}' cache store needs a connection URL such as ${connectionExample}.`,
      { key: 'backend.cache.connection' },
    );
  },

  invalidConnection(got: string): ConfigError {
    return new ConfigError(
      'CONFIG_CACHE_INVALID',
      `Invalid config at 'backend.cache.connection': expected a redis:// or rediss:// URL such as ${connectionExample}, got ${got}.`,
      { key: 'backend.cache.connection' },
    );
  },
};
