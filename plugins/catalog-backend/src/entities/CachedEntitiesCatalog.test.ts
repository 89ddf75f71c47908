import { CachedEntitiesCatalog, ByteBoundedLru } from './CachedEntitiesCatalog';
import type {
  EntitiesCatalog,
  EntityPermissionFilter,
  QueryEntitiesInitialRequest,
} from './EntitiesCatalog';

/** An EntitiesCatalog whose answers are the current `version`, counting reads. */
function createInner() {
  const state = { version: 1, reads: 0, fail: false };
  const answer = async () => {
    state.reads += 1;
    if (state.fail) {
      throw new Error('database down');
    }
    return `{"version":${state.version}}`;
  };
  const inner: EntitiesCatalog = {
    listEntities: async () => ({ entities: [await answer()] }),
    queryEntities: async () => ({ items: [await answer()], totalItems: 1 }),
    getEntitiesByRefs: async () => [await answer(), null],
    getEntityByRef: answer,
    getEntityByUid: answer,
    getEntityFacets: async () => ({
      facets: { kind: [{ value: await answer(), count: 1 }] },
    }),
    getEntityAncestry: async () => ({
      rootEntityRef: await answer(),
      items: [],
    }),
    removeEntityByUid: async () => {
      state.version += 1;
    },
  };
  return { inner, state };
}

function setup() {
  const { inner, state } = createInner();
  const clock = { now: 0, generation: 'g1', generationReads: 0 };
  const cached = new CachedEntitiesCatalog(inner, {
    readGeneration: async () => {
      clock.generationReads += 1;
      return clock.generation;
    },
    generationTtlMs: 250,
    now: () => clock.now,
  });
  return { cached, state, clock };
}

describe('CachedEntitiesCatalog', () => {
  it('reads a list request marked cache: false from the inner catalog each time, keeping nothing', async () => {
    const { cached, state } = setup();
    await cached.listEntities({ limit: 10 });
    const batch = { limit: 500, cache: false as const };
    await cached.listEntities(batch);
    await cached.listEntities(batch);
    expect(state.reads).toBe(3);
    await cached.listEntities({ limit: 10 });
    expect(state.reads).toBe(3);
  });

  it('counts the total of a query once per generation, and gives it to first pages that differ only in fields or limit, and to their cursors', async () => {
    const { inner } = createInner();
    const counted: string[] = [];
    inner.queryEntities = async request => {
      const query = request.query as QueryEntitiesInitialRequest;
      counted.push(query.totalItems);
      const totalItems = query.totalItems === 'include' ? 7 : 0;
      return {
        items: ['{}'],
        totalItems,
        nextCursor: {
          orderFields: [],
          firstPosition: ['a'],
          position: ['a'],
          isPrevious: false,
          totalItems,
        },
      };
    };
    const cached = new CachedEntitiesCatalog(inner, {
      readGeneration: async () => 'g1',
    });
    const query: QueryEntitiesInitialRequest = {
      orderFields: [],
      totalItems: 'include',
    };

    await cached.queryEntities({ query, limit: 10 });
    const page = await cached.queryEntities({
      query,
      limit: 20,
      fields: ['kind'],
    });

    expect(counted).toEqual(['include', 'exclude']);
    expect(page.totalItems).toBe(7);
    expect(page.nextCursor?.totalItems).toBe(7);
  });

  it('keeps facet counts per facet and counts only those it does not keep, in one read', async () => {
    const { inner } = createInner();
    const asked: string[][] = [];
    inner.getEntityFacets = async request => {
      asked.push(request.facets);
      return {
        facets: Object.fromEntries(
          request.facets.map(facet => [facet, [{ value: facet, count: 1 }]]),
        ),
      };
    };
    const cached = new CachedEntitiesCatalog(inner, {
      readGeneration: async () => 'g1',
    });

    await cached.getEntityFacets({ facets: ['kind', 'spec.type'] });
    const answer = await cached.getEntityFacets({
      facets: ['spec.owner', 'kind', 'spec.owner'],
    });

    expect(asked).toEqual([['kind', 'spec.type'], ['spec.owner']]);
    expect(answer).toEqual({
      facets: {
        'spec.owner': [{ value: 'spec.owner', count: 1 }],
        kind: [{ value: 'kind', count: 1 }],
      },
    });
  });

  it('keeps the answers of callers with different permission decisions apart', async () => {
    const { cached, state } = setup();
    const alice: EntityPermissionFilter = {
      anyOf: [{ key: 'relations.ownedBy', values: ['user:default/alice'] }],
    };
    const bob: EntityPermissionFilter = {
      anyOf: [{ key: 'relations.ownedBy', values: ['user:default/bob'] }],
    };
    for (const permissionFilter of [undefined, alice, bob, alice]) {
      await cached.listEntities({ limit: 10, permissionFilter });
      await cached.queryEntities({
        query: { orderFields: [], totalItems: 'include' },
        limit: 10,
        permissionFilter,
      });
      await cached.getEntitiesByRefs({
        entityRefs: ['component:default/a'],
        permissionFilter,
      });
      await cached.getEntityFacets({ facets: ['kind'], permissionFilter });
      await cached.getEntityByRef('component:default/a', permissionFilter);
      await cached.getEntityByUid('uid-1', permissionFilter);
    }
    // Six reads for each of the three distinct decisions; Alice's second
    // round is answered from memory.
    expect(state.reads).toBe(18);
  });

  it('answers a repeated read from memory while the generation is unchanged', async () => {
    const { cached, state, clock } = setup();
    await expect(cached.getEntityByRef('component:default/a')).resolves.toBe(
      '{"version":1}',
    );
    clock.now = 1000;
    await cached.getEntityByRef('Component:default/A');
    await cached.listEntities({ limit: 10 });
    await cached.listEntities({ limit: 10 });
    expect(state.reads).toBe(2);
    expect(clock.generationReads).toBe(2);
  });

  it('drops every answer once another replica moved the generation', async () => {
    const { cached, state, clock } = setup();
    await cached.getEntityFacets({ facets: ['kind'] });
    state.version = 2;
    clock.generation = 'g2';
    clock.now = 100;
    // Within the TTL the generation is not read again: bounded staleness.
    await expect(cached.getEntityFacets({ facets: ['kind'] })).resolves.toEqual(
      { facets: { kind: [{ value: '{"version":1}', count: 1 }] } },
    );
    clock.now = 300;
    await expect(cached.getEntityFacets({ facets: ['kind'] })).resolves.toEqual(
      { facets: { kind: [{ value: '{"version":2}', count: 1 }] } },
    );
  });

  it('checks the generation on the next read after invalidate, within the TTL', async () => {
    const { cached, state, clock } = setup();
    await cached.queryEntities({
      query: { orderFields: [], totalItems: 'include' },
      limit: 5,
    });
    state.version = 2;
    clock.generation = 'g2';
    cached.invalidate();
    await expect(
      cached.queryEntities({
        query: { orderFields: [], totalItems: 'include' },
        limit: 5,
      }),
    ).resolves.toEqual({ items: ['{"version":2}'], totalItems: 1 });
  });

  it('reads the generation again after invalidate instead of joining a read begun before it', async () => {
    const { inner, state } = createInner();
    const generations = { current: 'g1', reads: 0 };
    let releaseStaleRead = () => {};
    const cached = new CachedEntitiesCatalog(inner, {
      readGeneration: async () => {
        generations.reads += 1;
        const seen = generations.current;
        if (generations.reads === 2) {
          // This read's snapshot predates the write made meanwhile.
          await new Promise<void>(resolve => {
            releaseStaleRead = resolve;
          });
        }
        return seen;
      },
      generationTtlMs: 250,
      now: () => 1000 * generations.reads,
    });
    await cached.getEntityByRef('component:default/a');
    const concurrent = cached.getEntityByRef('component:default/a');
    await new Promise(resolve => setImmediate(resolve));
    state.version = 2;
    generations.current = 'g2';
    cached.invalidate();

    const afterInvalidate = cached.getEntityByRef('component:default/a');
    releaseStaleRead();

    await expect(afterInvalidate).resolves.toBe('{"version":2}');
    await concurrent;
  });

  it('forgets everything after removing an entity through it', async () => {
    const { cached } = setup();
    await cached.getEntityByUid('u1');
    await cached.removeEntityByUid('u1');
    await expect(cached.getEntityByUid('u1')).resolves.toBe('{"version":2}');
  });

  it('shares one read between identical concurrent requests', async () => {
    const { cached, state } = setup();
    const [a, b] = await Promise.all([
      cached.getEntitiesByRefs({ entityRefs: ['a'] }),
      cached.getEntitiesByRefs({ entityRefs: ['a'] }),
    ]);
    expect(a).toEqual(['{"version":1}', null]);
    expect(b).toBe(a);
    expect(state.reads).toBe(1);
  });

  it('does not keep a failed read', async () => {
    const { cached, state } = setup();
    state.fail = true;
    await expect(cached.getEntityByRef('a')).rejects.toThrow('database down');
    state.fail = false;
    await expect(cached.getEntityByRef('a')).resolves.toBe('{"version":1}');
  });

  it('does not keep an answer read while the generation moved on', async () => {
    const { inner, state } = createInner();
    let generation = 'g1';
    let releaseRead!: () => void;
    const slowInner: EntitiesCatalog = {
      ...inner,
      getEntityByRef: async ref => {
        const value = await inner.getEntityByRef(ref);
        await new Promise<void>(resolve => (releaseRead = resolve));
        return value;
      },
    };
    let now = 0;
    const cached = new CachedEntitiesCatalog(slowInner, {
      readGeneration: async () => generation,
      now: () => now,
    });
    const slow = cached.getEntityByRef('a');
    await new Promise(resolve => setImmediate(resolve));
    generation = 'g2';
    state.version = 2;
    now = 1000;
    await cached.listEntities({ limit: 1 }); // sees g2 and drops the cache
    releaseRead();
    await expect(slow).resolves.toBe('{"version":1}');
    const fresh = cached.getEntityByRef('a');
    await new Promise(resolve => setImmediate(resolve));
    releaseRead();
    await expect(fresh).resolves.toBe('{"version":2}');
  });

  it('always reads ancestry fresh', async () => {
    const { cached, state } = setup();
    await cached.getEntityAncestry('a');
    await cached.getEntityAncestry('a');
    expect(state.reads).toBe(2);
  });
});

describe('ByteBoundedLru', () => {
  it('evicts the least recently used values once the budget is exceeded', () => {
    const lru = new ByteBoundedLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    expect(lru.get('a')).toBe('A');
    lru.set('c', 'C', 4);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.get('c')).toBe('C');
    expect(lru.bytes).toBe(8);
  });

  it('does not keep a value larger than the whole budget', () => {
    const lru = new ByteBoundedLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('big', 'BIG', 11);
    expect(lru.get('big')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
  });

  it('replaces a value under the same key and counts only the new size', () => {
    const lru = new ByteBoundedLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('a', 'AA', 6);
    expect(lru.get('a')).toBe('AA');
    expect(lru.bytes).toBe(6);
    lru.clear();
    expect(lru.bytes).toBe(0);
    expect(lru.get('a')).toBeUndefined();
  });
});
