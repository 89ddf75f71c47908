import type { CacheStore } from './CacheStore';

/**
 * The behaviour every {@link CacheStore} shares. Each store's test calls it
 * with a function that creates a fresh, empty store; expiry over time is
 * tested per store, since only some can fake the clock.
 */
export function describeCacheStoreConformance(
  createStore: () => CacheStore | Promise<CacheStore>,
): void {
  describe('CacheStore conformance', () => {
    let store: CacheStore;

    beforeEach(async () => {
      store = await createStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it('returns undefined for a key that was never set', async () => {
      await expect(store.get('conformance:missing')).resolves.toBeUndefined();
    });

    it('returns the value that was set', async () => {
      await store.set('conformance:a', '{"n":1}');
      await expect(store.get('conformance:a')).resolves.toBe('{"n":1}');
    });

    it('replaces a value that is set again', async () => {
      await store.set('conformance:a', '1');
      await store.set('conformance:a', '2');
      await expect(store.get('conformance:a')).resolves.toBe('2');
    });

    it('forgets a deleted key', async () => {
      await store.set('conformance:a', '1');
      await store.delete('conformance:a');
      await expect(store.get('conformance:a')).resolves.toBeUndefined();
    });

    it('deletes a key that does not exist without failing', async () => {
      await expect(store.delete('conformance:never')).resolves.toBeUndefined();
    });

    it('keeps keys that share a prefix apart', async () => {
      await store.set('conformance:a', '1');
      await store.set('conformance:ab', '2');
      await store.set('other:a', '3');
      await expect(store.get('conformance:a')).resolves.toBe('1');
      await expect(store.get('conformance:ab')).resolves.toBe('2');
      await expect(store.get('other:a')).resolves.toBe('3');
    });

    it('keeps a value with a ttl until it expires', async () => {
      await store.set('conformance:ttl', '"x"', 60_000);
      await expect(store.get('conformance:ttl')).resolves.toBe('"x"');
    });

    it('keeps any characters of keys and values intact', async () => {
      const key = 'conformance:ключ with spaces\n:*?';
      const value = '"ünïcødé ✓ \\n\\u0000 line\nbreak"';
      await store.set(key, value);
      await expect(store.get(key)).resolves.toBe(value);
    });
  });
}
