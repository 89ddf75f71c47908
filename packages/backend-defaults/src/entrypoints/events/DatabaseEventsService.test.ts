import { MockLoggerService, TestDatabases } from '@plinth/backend-test-utils';
import {
  DefaultEventsService,
  type EventParams,
} from '@plinth/plugin-events-node';
import {
  DatabaseEventsService,
  type DatabaseEventsServiceOptions,
} from './DatabaseEventsService';
import {
  describeEventsServiceConformance,
  eventually,
} from './EventsService.conformance';
import {
  EVENTS_SUBSCRIPTIONS_TABLE,
  EVENTS_TABLE,
  EventsStore,
} from './EventsStore';
import type { Knex } from 'knex';

const databases = TestDatabases.create();

describe('DefaultEventsService', () => {
  describeEventsServiceConformance(async () => {
    const logger = MockLoggerService.create();
    const events = DefaultEventsService.create({ logger });
    return {
      forPlugin: pluginId => events.forPlugin(pluginId),
      logger,
      stop: async () => {},
    };
  });
});

describe.each(databases.eachSupportedId())(
  'DatabaseEventsService on %s',
  id => {
    // One database per kind for the whole file: creating and dropping one
    // per test costs more than the tests.
    let database: Promise<Knex> | undefined;
    const sharedDatabase = () => (database ??= databases.init(id));

    async function createService(
      options: Partial<DatabaseEventsServiceOptions> = {},
    ) {
      const knex = await sharedDatabase();
      const store = await EventsStore.open(knex);
      // Each test starts with no events and no subscribers.
      await knex(EVENTS_TABLE).delete();
      await knex(EVENTS_SUBSCRIPTIONS_TABLE).delete();
      const logger = MockLoggerService.create();
      const service = DatabaseEventsService.create(async () => store, {
        logger,
        pollIntervalMs: 20,
        retryDelaysMs: [10, 10],
        ...options,
      });
      return { service, store, logger, knex };
    }

    describe('conformance', () => {
      describeEventsServiceConformance(async () => {
        const { service, logger } = await createService();
        return {
          forPlugin: pluginId => service.forPlugin(pluginId),
          logger,
          stop: () => service.stop(),
        };
      });
    });

    it('retries a failing event twice, then logs it as an error and moves on to the next', async () => {
      const { service, logger } = await createService();
      const calls: unknown[] = [];
      await service.forPlugin('catalog').subscribe({
        id: 'flaky',
        topics: ['t'],
        onEvent: async ({ eventPayload }) => {
          calls.push(eventPayload);
          if (eventPayload === 'bad') {
            throw new Error('cannot handle it');
          }
        },
      });

      await service.forPlugin('a').publish({ topic: 't', eventPayload: 'bad' });
      await service
        .forPlugin('a')
        .publish({ topic: 't', eventPayload: 'good' });

      await eventually(() =>
        expect(calls).toEqual(['bad', 'bad', 'bad', 'good']),
      );
      expect(logger.messages('warn')).toEqual([
        expect.stringMatching(
          /^Subscriber 'catalog.flaky' failed to handle event \d+ of topic 't' \(attempt 1 of 3\); trying again in 10 ms\.$/,
        ),
        expect.stringMatching(/\(attempt 2 of 3\); trying again in 10 ms\.$/),
      ]);
      expect(logger.messages('error')).toEqual([
        expect.stringMatching(
          /^Subscriber 'catalog.flaky' failed to handle event \d+ of topic 't' \(attempt 3 of 3\); skipping the event\.$/,
        ),
      ]);
      await service.stop();
    });

    it('keeps delivering to other subscribers while one subscriber is slow', async () => {
      const { service } = await createService();
      let release!: () => void;
      const slowStarted: unknown[] = [];
      await service.forPlugin('catalog').subscribe({
        id: 'slow',
        topics: ['t'],
        onEvent: async ({ eventPayload }) => {
          slowStarted.push(eventPayload);
          await new Promise<void>(resolve => {
            release = resolve;
          });
        },
      });
      const fast: unknown[] = [];
      await service.forPlugin('catalog').subscribe({
        id: 'fast',
        topics: ['t'],
        onEvent: async ({ eventPayload }) => void fast.push(eventPayload),
      });

      await service.forPlugin('a').publish({ topic: 't', eventPayload: 1 });
      await service.forPlugin('a').publish({ topic: 't', eventPayload: 2 });

      await eventually(() => expect(fast).toEqual([1, 2]));
      expect(slowStarted).toEqual([1]);
      release();
      await eventually(() => expect(slowStarted).toEqual([1, 2]));
      release();
      await service.stop();
    });

    it('waits on stop for the running handler and calls no handler afterwards', async () => {
      const { service, store } = await createService();
      const handled: unknown[] = [];
      let release!: () => void;
      await service.forPlugin('catalog').subscribe({
        id: 'sub',
        topics: ['t'],
        onEvent: async ({ eventPayload }) => {
          await new Promise<void>(resolve => {
            release = resolve;
          });
          handled.push(eventPayload);
        },
      });
      await service.forPlugin('a').publish({ topic: 't', eventPayload: 1 });
      await service.forPlugin('a').publish({ topic: 't', eventPayload: 2 });
      await eventually(() => expect(release).toBeDefined());

      let stopped = false;
      const stopping = service.stop().then(() => {
        stopped = true;
      });
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      release();
      await stopping;

      expect(handled).toEqual([1]);
      // The second event stays stored for the next start.
      expect(await store.hasPending('catalog.sub', ['t'])).toBe(true);
    });

    it('delivers the events published while a subscriber id was down once it subscribes again', async () => {
      const first = await createService();
      const before: EventParams[] = [];
      await first.service.forPlugin('catalog').subscribe({
        id: 'errors',
        topics: ['t'],
        onEvent: async e => void before.push(e),
      });
      await first.service
        .forPlugin('a')
        .publish({ topic: 't', eventPayload: 0 });
      await eventually(() => expect(before).toHaveLength(1));
      await first.service.stop();

      const publisher = DatabaseEventsService.create(async () => first.store, {
        logger: MockLoggerService.create(),
      });
      for (const n of [1, 2, 3]) {
        await publisher.forPlugin('a').publish({ topic: 't', eventPayload: n });
      }
      const restarted = DatabaseEventsService.create(async () => first.store, {
        logger: MockLoggerService.create(),
        pollIntervalMs: 20,
      });
      const after: unknown[] = [];
      const newcomer: unknown[] = [];
      await restarted.forPlugin('catalog').subscribe({
        id: 'errors',
        topics: ['t'],
        onEvent: async e => void after.push(e.eventPayload),
      });
      await restarted.forPlugin('catalog').subscribe({
        id: 'newcomer',
        topics: ['t'],
        onEvent: async e => void newcomer.push(e.eventPayload),
      });
      await restarted.forPlugin('a').publish({ topic: 't', eventPayload: 4 });

      await eventually(() => expect(after).toEqual([1, 2, 3, 4]));
      // A new subscriber id starts at the newest event, as in Backstage.
      await eventually(() => expect(newcomer).toEqual([4]));
      await restarted.stop();
      await publisher.stop();
    });

    it('takes over a subscriber from a replica whose lease expired', async () => {
      const { service, store } = await createService({ leaseMs: 200 });
      await store.ensureSubscription('catalog.sub', ['t']);
      // A replica that claimed the subscriber and died.
      expect(await store.claim('catalog.sub', 'dead-replica', 200)).toBe(0);
      const received: unknown[] = [];
      await service.forPlugin('catalog').subscribe({
        id: 'sub',
        topics: ['t'],
        onEvent: async e => void received.push(e.eventPayload),
      });

      await service.forPlugin('a').publish({ topic: 't', eventPayload: 1 });

      await eventually(() => expect(received).toEqual([1]));
      await service.stop();
    });

    it('refuses to subscribe once stopped', async () => {
      const { service } = await createService();
      await service.stop();

      await expect(
        service
          .forPlugin('catalog')
          .subscribe({ id: 'late', topics: ['t'], onEvent: async () => {} }),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message:
          "Cannot subscribe 'catalog.late' to events: the events service has stopped because the backend is shutting down.",
      });
    });
  },
);
