import type { LoggerService } from '@plinth/backend-plugin-api';
import { ServiceUnavailableError } from '@plinth/errors';
import type { Redis } from 'ioredis';
import type { CacheStore } from '../CacheStore';

/**
 * Options for {@link RedisCacheStore.create}.
 *
 * @public
 */
export interface RedisCacheStoreOptions {
  /** A `redis://` or `rediss://` URL, such as `redis://:password@localhost:6379/0`. */
  connection: string;
  /** Receives connection errors, with the password masked. */
  logger: LoggerService;
  /**
   * Put before every key, to share one Redis database between backends.
   * @defaultValue `''`
   */
  keyPrefix?: string;
}

/**
 * A {@link CacheStore} in Redis, shared by every replica: keys as given
 * (`<pluginId>:<key>`), expiry through `SET ... PX`. Connection problems are
 * logged, naming the server without its password, while ioredis reconnects;
 * a command that cannot reach Redis fails with
 * {@link @plinth/errors#ServiceUnavailableError}.
 *
 * @public
 */
export class RedisCacheStore implements CacheStore {
  readonly #client: Redis;
  readonly #description: string;

  /**
   * Connects to Redis; ioredis is loaded only here, so backends with the
   * memory store never load it.
   *
   * @example
   * ```ts
   * const store = await RedisCacheStore.create({ connection: 'redis://localhost:6379', logger });
   * ```
   */
  static async create(
    options: RedisCacheStoreOptions,
  ): Promise<RedisCacheStore> {
    const { Redis: RedisClient } = await import('ioredis');
    const client = new RedisClient(options.connection, {
      keyPrefix: options.keyPrefix,
      // A cache should answer or fail quickly, not queue commands for long.
      maxRetriesPerRequest: 1,
      // On close while Redis is unreachable, ioredis waits this long for a
      // socket that already failed; the default 2 s would delay shutdown.
      disconnectTimeout: 100,
    });
    return new RedisCacheStore(client, options);
  }

  private constructor(client: Redis, options: RedisCacheStoreOptions) {
    this.#client = client;
    this.#description = describeRedisConnection(options.connection);
    let lastError: string | undefined;
    client.on('error', (error: Error) => {
      // ioredis retries every few seconds; log each new problem once.
      if (error.message === lastError) {
        return;
      }
      lastError = error.message;
      options.logger.error(
        `Cannot reach the Redis cache at ${this.#description}; check that Redis runs there and that 'backend.cache.connection' is right. Retrying in the background.`,
        error,
      );
    });
    client.on('ready', () => {
      if (lastError !== undefined) {
        options.logger.info(
          `Reconnected to the Redis cache at ${this.#description}.`,
        );
      }
      lastError = undefined;
    });
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#run('GET', key, () => this.#client.get(key));
    return value ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await this.#run('SET', key, () =>
      ttlMs === undefined
        ? this.#client.set(key, value)
        : this.#client.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs))),
    );
  }

  async delete(key: string): Promise<void> {
    await this.#run('DEL', key, () => this.#client.del(key));
  }

  async close(): Promise<void> {
    const { status } = this.#client;
    if (status === 'end') {
      return;
    }
    if (status !== 'ready') {
      // Not connected: stop reconnecting instead of queueing a QUIT.
      this.#client.disconnect();
      return;
    }
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }

  async #run<T>(
    command: string,
    key: string,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new ServiceUnavailableError(
        `Cache ${command} of key '${key}' failed on Redis at ${this.#description}; check that Redis runs there and that 'backend.cache.connection' is right.`,
        error,
      );
    }
  }
}

/**
 * A Redis connection URL safe for logs and errors: the password becomes
 * `***`, and a value that is not a URL is not shown at all.
 */
export function describeRedisConnection(connection: string): string {
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    return 'the configured address';
  }
  if (url.password) {
    url.password = '***';
  }
  return `'${url.toString()}'`;
}
