import { TestDatabases } from '@plinth/backend-test-utils';
import { EVENTS_TABLE, EventsStore } from './EventsStore';

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('EventsStore on %s', id => {
  it('deletes events older than the maximum age and the oldest beyond the count once past the minimum age', async () => {
    const knex = await databases.init(id);
    const store = await EventsStore.open(knex);
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
    const first = await store.publish({ topic: 't', eventPayload: 1 });
    await store.ensureSubscription('p.sub');
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
});
