import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import type { Redis as RedisClient } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { InvalidConfigError } from '../../errors';
import { CacheManager } from './CacheManager';

const mockIoredisLoaded = jest.fn();
jest.mock('ioredis', () => {
  mockIoredisLoaded();
  const actual: unknown = jest.requireActual('ioredis');
  return actual;
});

// The Redis round trip needs a server: set PLINTH_TEST_REDIS_URL, such as
// redis://127.0.0.1:6379. Without it that test is skipped, as on machines
// without Redis; it removes only the keys of its own plugin id.
const redisUrl = process.env.PLINTH_TEST_REDIS_URL;
const itWithRedis = redisUrl ? it : it.skip;

function setup(cache?: JsonObject) {
  const logger = mockServices.rootLogger();
  const lifecycle = mockServices.rootLifecycle({ logger });
  const config = mockServices.rootConfig({
    data: cache ? { backend: { cache } } : {},
  });
  const manager = CacheManager.fromConfig(config, { logger, lifecycle });
  return { manager, logger, lifecycle };
}

describe('CacheManager', () => {
  it('uses the memory store by default, with a namespace per plugin', async () => {
    const { manager, lifecycle } = setup();
    await manager.forPlugin('todo').set('k', 'todo value');
    await expect(manager.forPlugin('todo').get('k')).resolves.toBe(
      'todo value',
    );
    await expect(
      manager.forPlugin('catalog').get('k'),
    ).resolves.toBeUndefined();
    await lifecycle.shutdown();
  });

  it('loads ioredis only when the redis store is configured', async () => {
    await jest.isolateModulesAsync(async () => {
      const { CacheManager: Isolated } = await import('./CacheManager');
      const logger = mockServices.rootLogger();
      const lifecycle = mockServices.rootLifecycle({ logger });
      const memory = Isolated.fromConfig(mockServices.rootConfig(), {
        logger,
        lifecycle,
      });
      await memory.forPlugin('todo').set('k', 1);
      expect(mockIoredisLoaded).not.toHaveBeenCalled();
      const redis = Isolated.fromConfig(
        mockServices.rootConfig({
          data: {
            backend: {
              cache: { store: 'redis', connection: 'redis://127.0.0.1:1' },
            },
          },
        }),
        { logger, lifecycle },
      );
      await redis
        .forPlugin('todo')
        .get('k')
        .catch(() => undefined);
      expect(mockIoredisLoaded).toHaveBeenCalledTimes(1);
      await lifecycle.shutdown();
    });
  });

  it('applies backend.cache.defaultTtl to values set without a ttl', async () => {
    jest.useFakeTimers();
    try {
      const { manager, lifecycle } = setup({ defaultTtl: 'PT10S' });
      const cache = manager.forPlugin('todo');
      await cache.set('k', 1);
      jest.advanceTimersByTime(10_000);
      await expect(cache.get('k')).resolves.toBeUndefined();
      await lifecycle.shutdown();
    } finally {
      jest.useRealTimers();
    }
  });

  it('closes the store in a root shutdown hook and refuses use afterwards', async () => {
    const { manager, lifecycle } = setup();
    const cache = manager.forPlugin('todo');
    await cache.set('k', 1);
    await expect(lifecycle.shutdown()).resolves.toEqual([]);
    await expect(cache.get('k')).rejects.toThrow(
      'The cache store is closed because the backend stopped; use the cache only before the root shutdown hooks run.',
    );
  });

  it('shuts down cleanly when no plugin used the cache', async () => {
    const { lifecycle } = setup();
    await expect(lifecycle.shutdown()).resolves.toEqual([]);
  });

  itWithRedis(
    'stores values in Redis under <pluginId>:<key> with the ttl in PX',
    async () => {
      const { Redis } = jest.requireActual<{ Redis: typeof RedisClient }>(
        'ioredis',
      );
      const raw = new Redis(redisUrl!);
      const pluginId = `plinth-test-${randomUUID()}`;
      const { manager, lifecycle } = setup({
        store: 'redis',
        connection: redisUrl!,
      });
      try {
        const cache = manager.forPlugin(pluginId);
        await cache.set('k', { a: 1 }, { ttl: { minutes: 1 } });
        await expect(cache.get('k')).resolves.toEqual({ a: 1 });
        await expect(raw.get(`${pluginId}:k`)).resolves.toBe('{"a":1}');
        const ttl = await raw.pttl(`${pluginId}:k`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
        await expect(lifecycle.shutdown()).resolves.toEqual([]);
      } finally {
        const keys = await raw.keys(`${pluginId}:*`);
        if (keys.length > 0) {
          await raw.del(...keys);
        }
        await raw.quit();
      }
    },
  );

  it('rejects an unknown store and lists the valid ones', () => {
    expect(() => setup({ store: 'memcached' })).toThrow(
      "Unknown cache store 'memcached' at 'backend.cache.store': use one of 'memory', 'redis'.",
    );
    expect(() => setup({ store: 'memcached' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        code: 'CONFIG_CACHE_INVALID',
        key: 'backend.cache.store',
      }),
    );
  });

  it('rejects the redis store without a connection', () => {
    expect(() => setup({ store: 'redis' })).toThrow(
      "Missing config at 'backend.cache.connection': the 'redis' cache store needs a connection URL such as 'redis://:password@localhost:6379'.",
    );
  });

  it('rejects a connection that is not a URL without showing it', () => {
    expect(() =>
      setup({ store: 'redis', connection: 'hunter2-secret host:6379' }),
    ).toThrow(
      "Invalid config at 'backend.cache.connection': expected a redis:// or rediss:// URL such as 'redis://:password@localhost:6379', got a value that is not a URL.",
    );
  });

  it('rejects a connection with another protocol without showing it', () => {
    expect(() =>
      setup({ store: 'redis', connection: 'http://:hunter2-secret@host' }),
    ).toThrow(
      "Invalid config at 'backend.cache.connection': expected a redis:// or rediss:// URL such as 'redis://:password@localhost:6379', got a URL with protocol 'http:'.",
    );
  });

  it('rejects a default ttl that is not a duration longer than zero', () => {
    const expected =
      "expected a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S'";
    expect(() => setup({ defaultTtl: '5 minutes' })).toThrow(
      InvalidConfigError,
    );
    expect(() => setup({ defaultTtl: '5 minutes' })).toThrow(
      `Invalid config at 'backend.cache.defaultTtl' (mock-config): ${expected}, got "5 minutes".`,
    );
    expect(() => setup({ defaultTtl: 'PT0S' })).toThrow(
      `Invalid config at 'backend.cache.defaultTtl' (mock-config): ${expected}, got "PT0S".`,
    );
  });
});
