import { describeCacheStoreConformance } from '../CacheStore.conformance';
import { MemoryCacheStore } from './MemoryCacheStore';

describe('MemoryCacheStore', () => {
  describeCacheStoreConformance(() => MemoryCacheStore.create());

  describe('with fake timers', () => {
    let store: MemoryCacheStore;

    beforeEach(() => {
      jest.useFakeTimers();
      store = MemoryCacheStore.create({ sweepIntervalMs: 10_000 });
    });

    afterEach(async () => {
      await store.close();
      jest.useRealTimers();
    });

    it('returns a value until its ttl passes and never after', async () => {
      await store.set('a', '1', 1000);
      jest.advanceTimersByTime(999);
      await expect(store.get('a')).resolves.toBe('1');
      jest.advanceTimersByTime(1);
      await expect(store.get('a')).resolves.toBeUndefined();
    });

    it('keeps a value without a ttl forever', async () => {
      await store.set('a', '1');
      jest.advanceTimersByTime(365 * 86_400_000);
      await expect(store.get('a')).resolves.toBe('1');
    });

    it('drops the old ttl when a key is set again without one', async () => {
      await store.set('a', '1', 1000);
      await store.set('a', '2');
      jest.advanceTimersByTime(5000);
      await expect(store.get('a')).resolves.toBe('2');
    });

    it('sweeps expired entries on its timer without being asked', async () => {
      await store.set('short', '1', 1000);
      await store.set('long', '2', 60_000);
      expect(store.size).toBe(2);
      jest.advanceTimersByTime(9_999);
      expect(store.size).toBe(2);
      jest.advanceTimersByTime(1);
      expect(store.size).toBe(1);
      await expect(store.get('long')).resolves.toBe('2');
    });

    it('stops sweeping once closed', async () => {
      await store.close();
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  it('does not keep the process alive with its sweep timer', async () => {
    const spy = jest.spyOn(global, 'setInterval');
    const store = MemoryCacheStore.create();
    const timer = spy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await store.close();
  });

  it('evicts the least recently used entry past maxEntries', async () => {
    const store = MemoryCacheStore.create({ maxEntries: 2 });
    await store.set('a', '1');
    await store.set('b', '2');
    await store.get('a');
    await store.set('c', '3');
    await expect(store.get('a')).resolves.toBe('1');
    await expect(store.get('b')).resolves.toBeUndefined();
    await expect(store.get('c')).resolves.toBe('3');
    expect(store.size).toBe(2);
    await store.close();
  });

  it('evicts the least recently used entries past maxBytes', async () => {
    // Each entry: 2 * (1 + 100) + 64 = 266 bytes; three fit in 800.
    const store = MemoryCacheStore.create({ maxBytes: 800 });
    const value = 'x'.repeat(100);
    for (const key of ['a', 'b', 'c', 'd']) {
      await store.set(key, value);
    }
    await expect(store.get('a')).resolves.toBeUndefined();
    expect(store.size).toBe(3);
    await store.close();
  });

  it('rejects one entry larger than maxBytes', async () => {
    const store = MemoryCacheStore.create({ maxBytes: 100 });
    await expect(store.set('big', 'x'.repeat(100))).rejects.toThrow(
      "Cannot cache key 'big' in memory: it takes about 270 bytes, more than the store's limit of 100 bytes; cache smaller values, or use the 'redis' store.",
    );
    await store.close();
  });

  it('rejects an option that is not a positive integer', () => {
    expect(() => MemoryCacheStore.create({ maxEntries: 0 })).toThrow(
      "Invalid option 'maxEntries' for MemoryCacheStore.create(): expected a positive integer, got 0.",
    );
  });
});
