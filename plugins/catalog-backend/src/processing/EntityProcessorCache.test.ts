import {
  EntityProcessorCache,
  readStoredProcessorCache,
} from './EntityProcessorCache';

describe('EntityProcessorCache', () => {
  it('reads what the previous run stored, per scope', async () => {
    const cache = new EntityProcessorCache({
      A: { etag: 'x' },
      B: { etag: 'y' },
    });

    await expect(cache.forScope('A').get('etag')).resolves.toBe('x');
    await expect(cache.forScope('B').get('etag')).resolves.toBe('y');
    await expect(cache.forScope('C').get('etag')).resolves.toBeUndefined();
  });

  it('reads a value written in this run before the previous one', async () => {
    const cache = new EntityProcessorCache({ A: { etag: 'old' } });
    const scope = cache.forScope('A');

    await scope.set('etag', 'new');

    await expect(scope.get('etag')).resolves.toBe('new');
  });

  it('replaces a scope written to and keeps a scope left alone', async () => {
    const cache = new EntityProcessorCache({
      A: { etag: 'old', other: 1 },
      B: { kept: true },
    });

    await cache.forScope('A').set('etag', 'new');

    expect(cache.collect()).toEqual({ A: { etag: 'new' }, B: { kept: true } });
  });

  it('treats a scope stored as something other than an object as empty', async () => {
    const cache = new EntityProcessorCache({ A: 'corrupt' });

    await expect(cache.forScope('A').get('etag')).resolves.toBeUndefined();
  });
});

describe('readStoredProcessorCache', () => {
  it('reads caches stored as { ttl, cache }', () => {
    expect(
      readStoredProcessorCache(
        JSON.stringify({ ttl: 3, cache: { A: { etag: 'x' } } }),
      ),
    ).toEqual({ ttl: 3, cache: { A: { etag: 'x' } } });
  });

  it('reads caches that earlier versions stored as { ttl, state: { cache } }', () => {
    expect(
      readStoredProcessorCache(
        JSON.stringify({ ttl: 3, state: { cache: { A: { etag: 'x' } } } }),
      ),
    ).toEqual({ ttl: 3, cache: { A: { etag: 'x' } } });
  });

  it('reads no cache from an empty column or another shape', () => {
    expect(readStoredProcessorCache(null)).toBeUndefined();
    expect(
      readStoredProcessorCache(JSON.stringify({ cache: {} })),
    ).toBeUndefined();
    expect(
      readStoredProcessorCache(JSON.stringify({ ttl: 1, state: null })),
    ).toBeUndefined();
    expect(
      readStoredProcessorCache(JSON.stringify({ ttl: 1, cache: [] })),
    ).toBeUndefined();
  });
});
