import type { PGlite } from '@electric-sql/pglite';
import { SharedPgliteConnection } from './SharedPgliteConnection';

/** Only `query` is used, to set the borrower's schema. */
function fakePglite(): PGlite {
  return { query: async () => ({ rows: [] }) } as unknown as PGlite;
}

describe('SharedPgliteConnection', () => {
  it('lends the connection to waiting borrowers in arrival order', async () => {
    const shared = new SharedPgliteConnection(fakePglite());
    const catalog = shared.poolFor('catalog', "plugin 'catalog'", 60_000);
    const events = shared.poolFor('events', "plugin 'events'", 60_000);
    const held = await catalog.acquire().promise;
    const order: string[] = [];
    const second = events.acquire().promise.then(c => {
      order.push('events');
      return c;
    });
    const third = catalog.acquire().promise.then(c => {
      order.push('catalog');
      return c;
    });
    expect(events.numPendingAcquires()).toBe(1);
    catalog.release(held);
    events.release(await second);
    catalog.release(await third);
    expect(order).toEqual(['events', 'catalog']);
  });

  it('refuses borrowers that wait when it is closed, without waiting out their timeout', async () => {
    const shared = new SharedPgliteConnection(fakePglite());
    const catalog = shared.poolFor('catalog', "plugin 'catalog'", 60_000);
    const events = shared.poolFor('events', "plugin 'events'", 60_000);
    await catalog.acquire().promise;
    const waiting = events.acquire().promise;

    shared.close();

    await expect(waiting).rejects.toMatchObject({
      name: 'DatabaseError',
      code: 'DATABASE_CLOSED',
      message: expect.stringContaining(
        "plugin 'events' asked for the embedded database connection after the database was closed",
      ),
    });
    expect(events.numPendingAcquires()).toBe(0);
  });

  it('refuses borrowers that come after it is closed', async () => {
    const shared = new SharedPgliteConnection(fakePglite());
    const catalog = shared.poolFor('catalog', "plugin 'catalog'", 60_000);

    shared.close();

    await expect(catalog.acquire().promise).rejects.toMatchObject({
      code: 'DATABASE_CLOSED',
    });
  });
});
