import { MockLoggerService, TestDatabases } from '@plinth/backend-test-utils';
import { knex as createKnex, type Knex } from 'knex';
import { DatabaseEventsService } from './DatabaseEventsService';
import { eventually } from './EventsService.conformance';
import { EventsStore } from './EventsStore';

const databases = TestDatabases.create();

/**
 * Two replicas on one database: on PostgreSQL each has its own
 * connection pool, as two processes would; PGlite lives in one process, so
 * there they share the client.
 */
describe.each(databases.eachSupportedId())(
  'DatabaseEventsService replicas on %s',
  id => {
    const clients: Knex[] = [];

    afterEach(async () => {
      await Promise.all(clients.splice(0).map(c => c.destroy()));
    });

    async function createReplicas() {
      const first = await databases.init(id);
      let second = first;
      if (id === 'POSTGRES') {
        second = createKnex({
          client: 'pg',
          connection: first.client.config.connection as Knex.PgConnectionConfig,
        });
        clients.push(second);
      }
      return [replica(first), replica(second), first] as const;
    }

    function replica(knex: Knex) {
      return DatabaseEventsService.create(async () => EventsStore.open(knex), {
        logger: MockLoggerService.create(),
        pollIntervalMs: 20,
      });
    }

    it('delivers each event once to a subscriber id that runs on both replicas, in publish order', async () => {
      const [a, b] = await createReplicas();
      const received: Array<{ replica: string; n: unknown }> = [];
      for (const [name, replica] of [
        ['a', a],
        ['b', b],
      ] as const) {
        await replica.forPlugin('catalog').subscribe({
          id: 'group',
          topics: ['t'],
          onEvent: async e =>
            void received.push({ replica: name, n: e.eventPayload }),
        });
      }
      const everyone: unknown[] = [];
      await a.forPlugin('search').subscribe({
        id: 'all',
        topics: ['t'],
        onEvent: async e => void everyone.push(e.eventPayload),
      });

      const published = [...Array(30).keys()];
      for (const n of published) {
        await (n % 2 ? a : b)
          .forPlugin('x')
          .publish({ topic: 't', eventPayload: n });
      }

      await eventually(() => expect(received).toHaveLength(30));
      await eventually(() => expect(everyone).toEqual(published));
      // Replicas take turns by lease, so even across both the order holds.
      expect(received.map(r => r.n)).toEqual(published);
      await new Promise(resolve => setTimeout(resolve, 100));
      expect(received).toHaveLength(30);
      await Promise.all([a.stop(), b.stop()]);
    });

    it('catches up on a restarted replica with the events the other replica published meanwhile', async () => {
      const [a, b, knexOfA] = await createReplicas();
      const received: unknown[] = [];
      const subscribe = (replica: DatabaseEventsService) =>
        replica.forPlugin('catalog').subscribe({
          id: 'errors',
          topics: ['t'],
          onEvent: async e => void received.push(e.eventPayload),
        });
      await subscribe(a);
      await b.forPlugin('x').publish({ topic: 't', eventPayload: 'before' });
      await eventually(() => expect(received).toEqual(['before']));

      await a.stop();
      await b
        .forPlugin('x')
        .publish({ topic: 't', eventPayload: 'while down 1' });
      await b
        .forPlugin('x')
        .publish({ topic: 't', eventPayload: 'while down 2' });
      await new Promise(resolve => setTimeout(resolve, 100));
      expect(received).toEqual(['before']);

      // The replica comes back: a new service on the same database.
      const restarted = replica(knexOfA);
      await subscribe(restarted);
      await eventually(() =>
        expect(received).toEqual(['before', 'while down 1', 'while down 2']),
      );
      await Promise.all([restarted.stop(), b.stop()]);
    });
  },
);
