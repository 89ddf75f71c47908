import type {
  CacheService,
  Config,
  LifecycleService,
  LoggerService,
} from '@plinth/backend-plugin-api';
import { ServiceUnavailableError } from '@plinth/errors';
import { readDurationFromConfig } from '../rootConfig/readDurationFromConfig';
import { CacheConfigError } from './CacheConfigError';
import type { CacheStore } from './CacheStore';
import { cacheStoreLoaders } from './cacheStoreLoaders';
import { DefaultCacheService } from './DefaultCacheService';
import { readRedisConnection } from './redis/readRedisConnection';

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
   * @throws {@link CacheConfigError} for an unknown store or a missing or
   *   invalid Redis connection;
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
      throw CacheConfigError.unknownStore(
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
