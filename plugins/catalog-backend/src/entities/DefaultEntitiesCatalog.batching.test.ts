import { BatchedLookup } from './DefaultEntitiesCatalog';

describe('BatchedLookup', () => {
  it('loads the keys asked for in one turn of the event loop together', async () => {
    const batches: string[][] = [];
    const lookup = new BatchedLookup<string>(async keys => {
      batches.push(keys);
      return new Map(keys.filter(k => k !== 'missing').map(k => [k, `v-${k}`]));
    });
    const answers = await Promise.all([
      lookup.get('a'),
      lookup.get('b'),
      lookup.get('a'),
      lookup.get('missing'),
    ]);
    expect(answers).toEqual(['v-a', 'v-b', 'v-a', undefined]);
    expect(batches).toEqual([['a', 'b', 'missing']]);
    await expect(lookup.get('c')).resolves.toBe('v-c');
    expect(batches).toHaveLength(2);
  });

  it('starts a batch as soon as it is full', async () => {
    const batches: string[][] = [];
    const lookup = new BatchedLookup<string>(
      async keys => {
        batches.push(keys);
        return new Map(keys.map(k => [k, k]));
      },
      { maxBatchSize: 2 },
    );
    await Promise.all(['a', 'b', 'c'].map(k => lookup.get(k)));
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('rejects every waiter of a batch whose load fails', async () => {
    const lookup = new BatchedLookup<string>(async () => {
      throw new Error('database down');
    });
    const results = await Promise.allSettled([
      lookup.get('a'),
      lookup.get('b'),
    ]);
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected']);
    await expect(lookup.get('c')).rejects.toThrow('database down');
  });
});
