import type {
  CacheService,
  CacheServiceOptions,
  CacheServiceSetOptions,
  HumanDuration,
  JsonValue,
  LoggerService,
} from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import type { CacheStore } from './CacheStore';
import { parseDuration } from '../../config';

/**
 * Options for {@link DefaultCacheService.create}.
 *
 * @public
 */
export interface DefaultCacheServiceOptions {
  /** The shared store, which may still be loading. */
  store: () => Promise<CacheStore>;
  /** The namespace: keys are stored as `<pluginId>:<key>`. */
  pluginId: string;
  /** Receives warnings about stored values that are not JSON. */
  logger: LoggerService;
  /**
   * The ttl of values set without one.
   * @defaultValue no expiry
   */
  defaultTtl?: number | HumanDuration;
}

const ttlExpected =
  'a positive number of milliseconds or a duration such as { minutes: 5 }';

/**
 * The default {@link @plinth/backend-plugin-api#CacheService}: one plugin's
 * namespace in a shared {@link CacheStore}, with values stored as JSON.
 *
 * @public
 */
export class DefaultCacheService implements CacheService {
  readonly #options: DefaultCacheServiceOptions;
  readonly #defaultTtlMs: number | undefined;

  /**
   * Creates a plugin's view of a store.
   *
   * @example
   * ```ts
   * const cache = DefaultCacheService.create({ store: async () => store, pluginId: 'todo', logger });
   * await cache.set('list', [1, 2], { ttl: { minutes: 5 } });
   * ```
   * @throws {@link @plinth/errors#InputError} when `defaultTtl` is not a
   *   positive duration.
   */
  static create(options: DefaultCacheServiceOptions): DefaultCacheService {
    return new DefaultCacheService(options);
  }

  private constructor(options: DefaultCacheServiceOptions) {
    this.#options = options;
    this.#defaultTtlMs =
      options.defaultTtl === undefined
        ? undefined
        : this.#toTtl(options.defaultTtl, 'defaultTtl');
  }

  /** @throws {@link @plinth/errors#InputError} for an empty key. */
  async get<TValue extends JsonValue>(
    key: string,
  ): Promise<TValue | undefined> {
    const storeKey = this.#key(key);
    const stored = await (await this.#options.store()).get(storeKey);
    if (stored === undefined) {
      return undefined;
    }
    try {
      return JSON.parse(stored) as TValue;
    } catch {
      this.#options.logger.warn(
        `Ignoring cache key '${key}' of plugin '${this.#options.pluginId}': the stored value is not JSON, so something else wrote it; set the key again or delete it.`,
      );
      return undefined;
    }
  }

  /**
   * @throws {@link @plinth/errors#InputError} for an empty key, a value
   *   that cannot be written as JSON, or an invalid ttl.
   */
  async set(
    key: string,
    value: JsonValue,
    options?: CacheServiceSetOptions,
  ): Promise<void> {
    const storeKey = this.#key(key);
    const ttlMs =
      options?.ttl === undefined
        ? this.#defaultTtlMs
        : this.#toTtl(options.ttl, `ttl of cache key '${key}'`);
    const serialized = this.#serialize(key, value);
    await (await this.#options.store()).set(storeKey, serialized, ttlMs);
  }

  /** @throws {@link @plinth/errors#InputError} for an empty key. */
  async delete(key: string): Promise<void> {
    const storeKey = this.#key(key);
    await (await this.#options.store()).delete(storeKey);
  }

  /**
   * A view of the same namespace with another default ttl.
   *
   * @throws {@link @plinth/errors#InputError} when `defaultTtl` is not a
   *   positive duration.
   */
  withOptions(options: CacheServiceOptions): DefaultCacheService {
    return new DefaultCacheService({
      ...this.#options,
      defaultTtl: options.defaultTtl ?? this.#options.defaultTtl,
    });
  }

  #key(key: string): string {
    if (typeof key !== 'string' || key === '') {
      throw new InputError(
        `Invalid cache key ${typeof key === 'string' ? "''" : String(key)} for plugin '${this.#options.pluginId}': use a non-empty string.`,
      );
    }
    return `${this.#options.pluginId}:${key}`;
  }

  #serialize(key: string, value: JsonValue): string {
    let serialized: string | undefined;
    let cause: unknown;
    try {
      serialized = JSON.stringify(value);
    } catch (error) {
      cause = error;
    }
    if (serialized === undefined) {
      throw new InputError(
        `Cannot cache key '${key}' of plugin '${this.#options.pluginId}': the value cannot be written as JSON; store JSON values only, null instead of undefined.`,
        cause,
      );
    }
    return serialized;
  }

  #toTtl(value: unknown, what: string): number {
    const ms = parseDuration(value, { allowMilliseconds: true });
    if (ms === undefined || ms === 0) {
      throw new InputError(
        `Invalid ${what} for the cache of plugin '${this.#options.pluginId}': expected ${ttlExpected}, got ${JSON.stringify(value) ?? String(value)}.`,
      );
    }
    return ms;
  }
}
