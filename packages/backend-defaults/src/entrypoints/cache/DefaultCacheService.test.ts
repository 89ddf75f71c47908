import type { HumanDuration } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { DefaultCacheService } from './DefaultCacheService';
import { MemoryCacheStore } from './memory/MemoryCacheStore';

describe('DefaultCacheService', () => {
  let store: MemoryCacheStore;

  beforeEach(() => {
    store = MemoryCacheStore.create();
  });

  afterEach(async () => {
    await store.close();
    jest.useRealTimers();
  });

  const create = (
    pluginId = 'todo',
    defaultTtl?: number | HumanDuration,
    logger = mockServices.rootLogger(),
  ) =>
    DefaultCacheService.create({
      store: async () => store,
      pluginId,
      logger,
      defaultTtl,
    });

  it('returns JSON values of every kind as they were set', async () => {
    const cache = create();
    const values = [
      { a: [1, 'x', { b: null }] },
      [true],
      'text',
      0,
      false,
      null,
    ];
    for (const [i, value] of values.entries()) {
      await cache.set(`k${i}`, value);
    }
    for (const [i, value] of values.entries()) {
      await expect(cache.get(`k${i}`)).resolves.toEqual(value);
    }
  });

  it('returns undefined for a key that was never set', async () => {
    await expect(create().get('missing')).resolves.toBeUndefined();
  });

  it('stores keys as <pluginId>:<key> and keeps plugins apart', async () => {
    await create('todo').set('shared', 1);
    await create('catalog').set('shared', 2);
    await expect(store.get('todo:shared')).resolves.toBe('1');
    await expect(create('todo').get('shared')).resolves.toBe(1);
    await expect(create('catalog').get('shared')).resolves.toBe(2);
  });

  it('forgets a deleted key', async () => {
    const cache = create();
    await cache.set('k', 1);
    await cache.delete('k');
    await expect(cache.get('k')).resolves.toBeUndefined();
  });

  it('expires a value after its ttl in milliseconds', async () => {
    jest.useFakeTimers();
    const cache = create();
    await cache.set('k', 1, { ttl: 1000 });
    jest.advanceTimersByTime(999);
    await expect(cache.get('k')).resolves.toBe(1);
    jest.advanceTimersByTime(1);
    await expect(cache.get('k')).resolves.toBeUndefined();
  });

  it('expires a value after a ttl given as a duration', async () => {
    jest.useFakeTimers();
    const cache = create();
    await cache.set('k', 1, { ttl: { minutes: 1 } });
    jest.advanceTimersByTime(59_999);
    await expect(cache.get('k')).resolves.toBe(1);
    jest.advanceTimersByTime(1);
    await expect(cache.get('k')).resolves.toBeUndefined();
  });

  it('gives values set without a ttl the default ttl', async () => {
    jest.useFakeTimers();
    const cache = create('todo', { seconds: 10 });
    await cache.set('k', 1);
    await cache.set('long', 2, { ttl: 60_000 });
    jest.advanceTimersByTime(10_000);
    await expect(cache.get('k')).resolves.toBeUndefined();
    await expect(cache.get('long')).resolves.toBe(2);
  });

  it('lets withOptions set another default ttl for the same namespace', async () => {
    jest.useFakeTimers();
    const cache = create('todo', 60_000);
    const short = cache.withOptions({ defaultTtl: 1000 });
    await short.set('k', 1);
    await expect(cache.get('k')).resolves.toBe(1);
    jest.advanceTimersByTime(1000);
    await expect(cache.get('k')).resolves.toBeUndefined();
  });

  it('keeps the default ttl when withOptions sets none', async () => {
    jest.useFakeTimers();
    const cache = create('todo', 1000).withOptions({});
    await cache.set('k', 1);
    jest.advanceTimersByTime(1000);
    await expect(cache.get('k')).resolves.toBeUndefined();
  });

  it('ignores a stored value that is not JSON and warns about it', async () => {
    const logger = mockServices.rootLogger();
    await store.set('todo:raw', 'not json');
    await expect(create('todo', undefined, logger).get('raw')).resolves.toBe(
      undefined,
    );
    expect(logger.messages('warn')).toEqual([
      "Ignoring cache key 'raw' of plugin 'todo': the stored value is not JSON, so something else wrote it; set the key again or delete it.",
    ]);
  });

  it('rejects an empty key', async () => {
    await expect(create().get('')).rejects.toThrow(
      "Invalid cache key '' for plugin 'todo': use a non-empty string.",
    );
  });

  it('rejects a key that is not a string', async () => {
    await expect(create().delete(7 as never)).rejects.toThrow(
      "Invalid cache key 7 for plugin 'todo': use a non-empty string.",
    );
  });

  it('rejects an undefined value', async () => {
    await expect(create().set('k', undefined as never)).rejects.toThrow(
      "Cannot cache key 'k' of plugin 'todo': the value cannot be written as JSON; store JSON values only, null instead of undefined.",
    );
  });

  it('rejects a value that JSON cannot write, keeping the cause', async () => {
    const error = await create()
      .set('k', { n: BigInt(1) } as never)
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({
      name: 'InputError',
      message:
        "Cannot cache key 'k' of plugin 'todo': the value cannot be written as JSON; store JSON values only, null instead of undefined.",
      cause: expect.any(TypeError),
    });
  });

  it('rejects an invalid ttl', async () => {
    await expect(create().set('k', 1, { ttl: -5 })).rejects.toThrow(
      "Invalid ttl of cache key 'k' for the cache of plugin 'todo': expected a positive number of milliseconds or a duration such as { minutes: 5 }, got -5.",
    );
  });

  it('rejects an invalid default ttl', () => {
    expect(() => create('todo', { minute: 1 } as never)).toThrow(
      'Invalid defaultTtl for the cache of plugin \'todo\': expected a positive number of milliseconds or a duration such as { minutes: 5 }, got {"minute":1}.',
    );
  });

  it('rejects an invalid default ttl in withOptions', () => {
    expect(() => create().withOptions({ defaultTtl: 0 })).toThrow(
      "Invalid defaultTtl for the cache of plugin 'todo': expected a positive number of milliseconds or a duration such as { minutes: 5 }, got 0.",
    );
  });
});
