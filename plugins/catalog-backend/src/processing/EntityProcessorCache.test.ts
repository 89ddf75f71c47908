import { EntityProcessorCache } from './EntityProcessorCache';

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
