import { mockServices } from '@plinth/backend-test-utils';
import { ServiceUnavailableError } from '@plinth/errors';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { describeCacheStoreConformance } from '../CacheStore.conformance';
import { RedisCacheStore } from './RedisCacheStore';

// These tests need a Redis server: set PLINTH_TEST_REDIS_URL, such as
// redis://127.0.0.1:6379. Without it they are skipped, as on machines
// without Redis. Every key they write starts with a prefix of their own,
// and only keys with that prefix are removed afterwards.
const redisUrl = process.env.PLINTH_TEST_REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;

describe('RedisCacheStore', () => {
  describeWithRedis('against a Redis server', () => {
    const keyPrefix = `plinth-test-${randomUUID()}:`;
    const createStore = () =>
      RedisCacheStore.create({
        connection: redisUrl!,
        logger: mockServices.rootLogger(),
        keyPrefix,
      });
    let raw: Redis;

    beforeAll(() => {
      raw = new Redis(redisUrl!);
    });

    afterAll(async () => {
      const keys = await raw.keys(`${keyPrefix}*`);
      if (keys.length > 0) {
        await raw.del(...keys);
      }
      await raw.quit();
    });

    describeCacheStoreConformance(createStore);

    it('sets the ttl in milliseconds with PX', async () => {
      const store = await createStore();
      await store.set('catalog:ttl', '1', 60_000);
      const ttl = await raw.pttl(`${keyPrefix}catalog:ttl`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await store.close();
    });

    it('drops the ttl when a key is set again without one', async () => {
      const store = await createStore();
      await store.set('catalog:ttl2', '1', 60_000);
      await store.set('catalog:ttl2', '2');
      await expect(raw.pttl(`${keyPrefix}catalog:ttl2`)).resolves.toBe(-1);
      await store.close();
    });

    it('closes twice without failing', async () => {
      const store = await createStore();
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });
  });

  // Needs no server: nothing listens on port 1, so every connection fails.
  it('logs an unreachable server once without its password, and fails commands with ServiceUnavailableError', async () => {
    const logger = mockServices.rootLogger();
    const store = await RedisCacheStore.create({
      connection: 'redis://:hunter2-secret@127.0.0.1:1/0',
      logger,
    });
    const error = await store.get('catalog:a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toBe(
      "Cache GET of key 'catalog:a' failed on Redis at 'redis://:***@127.0.0.1:1/0'; check that Redis runs there and that 'backend.cache.connection' is right.",
    );
    await store.close();
    expect(logger.messages('error')).toEqual([
      "Cannot reach the Redis cache at 'redis://:***@127.0.0.1:1/0'; check that Redis runs there and that 'backend.cache.connection' is right. Retrying in the background.",
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('hunter2-secret');
  });
});
