import { TestDatabases } from '@plinth/backend-test-utils';
import {
  EVENTS_SUBSCRIPTIONS_TABLE,
  EVENTS_TABLE,
  EventsStore,
} from './EventsStore';

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('EventsStore on %s', id => {
  it('deletes events older than the maximum age and the oldest beyond the count once past the minimum age', async () => {
    const knex = await databases.init(id);
    const store = await EventsStore.open(knex);
    await store.ensureSubscription('p.sub', ['t']);
    for (const n of [1, 2, 3, 4, 5]) {
      await store.publish({ topic: 't', eventPayload: n });
    }
    // Event 1 is two days old, 2 and 3 an hour, 4 and 5 just published.
    const ids = await knex(EVENTS_TABLE).orderBy('id').pluck('id');
    await knex(EVENTS_TABLE)
      .where('id', ids[0])
      .update({ published_at: knex.raw("now() - interval '2 days'") });
    await knex(EVENTS_TABLE)
      .whereIn('id', ids.slice(1, 3))
      .update({ published_at: knex.raw("now() - interval '1 hour'") });

    const retention = { maxAgeMs: 86_400_000, minAgeMs: 600_000, maxCount: 3 };
    // Count 3 keeps 3, 4 and 5; 2 is beyond it and past the minimum age.
    expect(await store.trim(retention)).toBe(2);
    expect(
      (await knex(EVENTS_TABLE).orderBy('id').pluck('payload_json')).map(
        (p: string) => JSON.parse(p) as unknown,
      ),
    ).toEqual([3, 4, 5]);

    // Events younger than the minimum age stay beyond the count.
    expect(await store.trim({ ...retention, maxCount: 1 })).toBe(1);
    expect(Number((await knex(EVENTS_TABLE).count({ n: '*' }))[0].n)).toBe(2);
  });

  it('starts a new subscriber after the newest event and lets only one holder claim it', async () => {
    const store = await EventsStore.open(await databases.init(id));
    await store.ensureSubscription('p.other', ['t']);
    const first = await storedId(
      store.publish({ topic: 't', eventPayload: 1 }),
    );
    await store.ensureSubscription('p.sub', ['t']);
    await store.publish({ topic: 't', eventPayload: 2 });

    expect(await store.claim('p.sub', 'one', 60_000)).toBe(first);
    expect(await store.claim('p.sub', 'two', 60_000)).toBeUndefined();
    expect(
      (await store.read(first, ['t'], 10)).map(e => e.eventPayload),
    ).toEqual([2]);
    await store.release('p.sub', 'one');
    expect(await store.claim('p.sub', 'two', 60_000)).toBe(first);
    // Only the holder records progress.
    expect(await store.advance('p.sub', 'one', first + 1, 60_000)).toBe(false);
    expect(await store.advance('p.sub', 'two', first + 1, 60_000)).toBe(true);
    expect(await store.hasPending('p.sub', ['t'])).toBe(false);
  });

  it('writes events published together in one transaction, with ids in call order', async () => {
    const knex = await databases.init(id);
    const store = await EventsStore.open(knex);
    await store.ensureSubscription('p.sub', ['t']);
    const locks: string[] = [];
    knex.on('query', (query: { sql: string }) => {
      if (query.sql.includes('pg_advisory_xact_lock')) {
        locks.push(query.sql);
      }
    });
    const first = store.publish({ topic: 't', eventPayload: 0 });
    // Published while the first write is in flight: one write for all.
    const burst = Array.from({ length: 50 }, (_, n) =>
      store.publish({ topic: 't', eventPayload: n + 1 }),
    );
    const ids = await Promise.all([first, ...burst].map(storedId));

    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(51);
    expect(locks.length).toBeLessThanOrEqual(2);
    const stored = await knex(EVENTS_TABLE)
      .orderBy('id')
      .select('id', 'payload_json');
    expect(stored.map(r => Number(r.id))).toEqual(ids);
    expect(stored.map(r => JSON.parse(r.payload_json) as unknown)).toEqual(
      Array.from({ length: 51 }, (_, n) => n),
    );
  });

  it('fails only the call whose payload cannot be stored', async () => {
    const store = await EventsStore.open(await databases.init(id));
    await store.ensureSubscription('p.sub', ['t']);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const good = store.publish({ topic: 't', eventPayload: 'good' });
    expect(() => store.publish({ topic: 't', eventPayload: circular })).toThrow(
      /circular/i,
    );
    await expect(good).resolves.toEqual(expect.any(Number));
  });

  it('stores only the events of topics a subscriber id asked for', async () => {
    const knex = await databases.init(id);
    const store = await EventsStore.open(knex);

    await expect(
      store.publish({ topic: 'unheard', eventPayload: 0 }),
    ).resolves.toBeUndefined();
    await store.ensureSubscription('p.sub', ['a']);
    await store.ensureSubscription('p.sub', ['b']);
    const ids = await Promise.all(
      ['a', 'unheard', 'b'].map(topic =>
        store.publish({ topic, eventPayload: topic }),
      ),
    );

    expect(ids).toEqual([expect.any(Number), undefined, expect.any(Number)]);
    expect(await knex(EVENTS_TABLE).orderBy('id').pluck('topic')).toEqual([
      'a',
      'b',
    ]);
  });

  it('stores every topic for a subscriber row from before topics were recorded', async () => {
    const knex = await databases.init(id);
    const store = await EventsStore.open(knex);
    await store.ensureSubscription('p.old', ['a']);
    await knex(EVENTS_SUBSCRIPTIONS_TABLE).update({ topics: null });

    await expect(
      store.publish({ topic: 'any', eventPayload: 1 }),
    ).resolves.toEqual(expect.any(Number));
    // Subscribing again records its topics.
    await store.ensureSubscription('p.old', ['a']);
    await expect(
      store.publish({ topic: 'any', eventPayload: 2 }),
    ).resolves.toBeUndefined();
  });
});

/** The id of an event that had to be stored. */
async function storedId(id: Promise<number | undefined>): Promise<number> {
  const value = await id;
  if (value === undefined) {
    throw new Error('The event was not stored');
  }
  return value;
}
