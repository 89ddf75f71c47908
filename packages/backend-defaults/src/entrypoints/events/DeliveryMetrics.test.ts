import {
  MeterProvider,
  MetricReader,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { MockLoggerService, TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { DatabaseEventsService } from './DatabaseEventsService';
import { eventually } from './EventsService.conformance';
import {
  EVENTS_SUBSCRIPTIONS_TABLE,
  EVENTS_TABLE,
  EventsStore,
} from './EventsStore';

/** A reader that collects only when the test asks, as a scrape does. */
class ScrapeReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

/** An SDK meter as a plugin's metrics service, and its values at each scrape. */
function createMeter() {
  const reader = new ScrapeReader();
  const provider = new MeterProvider({ readers: [reader] });
  return {
    meter: provider.getMeter('backstage-plugin-catalog'),
    /** The points of `name`, keyed by their attributes as JSON. */
    async scrape(name: string): Promise<Record<string, unknown>> {
      const { resourceMetrics } = await reader.collect();
      const metrics: MetricData[] = resourceMetrics.scopeMetrics.flatMap(
        s => s.metrics,
      );
      const metric = metrics.find(m => m.descriptor.name === name);
      return Object.fromEntries(
        (metric?.dataPoints ?? []).map(p => [
          JSON.stringify(p.attributes),
          p.value,
        ]),
      );
    },
    shutdown: () => provider.shutdown(),
  };
}

const databases = TestDatabases.create();

describe('DeliveryMetrics', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let store: EventsStore;
    let sdk: ReturnType<typeof createMeter>;

    beforeAll(async () => {
      knex = await databases.init(id);
      store = await EventsStore.open(knex);
    });

    beforeEach(async () => {
      await knex(EVENTS_TABLE).delete();
      await knex(EVENTS_SUBSCRIPTIONS_TABLE).delete();
      sdk = createMeter();
    });

    afterEach(() => sdk.shutdown());

    function createService() {
      return DatabaseEventsService.create(async () => store, {
        logger: MockLoggerService.create(),
        pollIntervalMs: 20,
      });
    }

    it('records the lag of each delivery, including the time an event waited for its subscriber', async () => {
      // The subscriber id exists, then its backend stops; an event is
      // published meanwhile and waits ten minutes for it.
      await store.ensureSubscription('catalog.late', ['t']);
      const publisher = createService();
      await publisher.forPlugin('a').publish({ topic: 't', eventPayload: 1 });
      await knex(EVENTS_TABLE).update({
        published_at: knex.raw("now() - interval '10 minutes'"),
      });

      const service = createService();
      const received: unknown[] = [];
      await service.forPlugin('catalog', { metrics: sdk.meter }).subscribe({
        id: 'late',
        topics: ['t'],
        onEvent: async e => void received.push(e.eventPayload),
      });
      await eventually(() => expect(received).toEqual([1]));
      await service.forPlugin('a').publish({ topic: 't', eventPayload: 2 });
      await eventually(() => expect(received).toEqual([1, 2]));

      const lag = await sdk.scrape('events.delivery.lag');
      const point = lag['{"subscriber":"catalog.late","topic":"t"}'] as
        Histogram | undefined;
      expect(point?.count).toBe(2);
      expect(point?.max).toBeGreaterThanOrEqual(600);
      await service.stop();
      await publisher.stop();
    });

    it("reports the age of each subscriber's oldest event not yet handled", async () => {
      const service = createService();
      const plugin = service.forPlugin('catalog', { metrics: sdk.meter });
      let release!: () => void;
      const started: unknown[] = [];
      await plugin.subscribe({
        id: 'slow',
        topics: ['t'],
        onEvent: async e => {
          started.push(e.eventPayload);
          await new Promise<void>(resolve => {
            release = resolve;
          });
        },
      });
      const fast: unknown[] = [];
      await plugin.subscribe({
        id: 'fast',
        topics: ['t'],
        onEvent: async e => void fast.push(e.eventPayload),
      });
      const idle = await sdk.scrape('events.delivery.oldest_pending_age');
      expect(idle).toEqual({
        '{"subscriber":"catalog.slow"}': 0,
        '{"subscriber":"catalog.fast"}': 0,
      });

      await plugin.publish({ topic: 't', eventPayload: 1 });
      await eventually(() => expect(fast).toEqual([1]));
      await eventually(() => expect(started).toEqual([1]));
      await knex(EVENTS_TABLE).update({
        published_at: knex.raw("now() - interval '5 minutes'"),
      });

      const held = await sdk.scrape('events.delivery.oldest_pending_age');
      expect(held['{"subscriber":"catalog.fast"}']).toBe(0);
      expect(held['{"subscriber":"catalog.slow"}']).toBeGreaterThanOrEqual(300);

      release();
      await eventually(async () =>
        expect(await sdk.scrape('events.delivery.oldest_pending_age')).toEqual({
          '{"subscriber":"catalog.slow"}': 0,
          '{"subscriber":"catalog.fast"}': 0,
        }),
      );
      await service.stop();
      // A stopped service reads nothing for the gauge: its database may
      // be closing.
      const statements: string[] = [];
      const onQuery = (query: { sql: string }) => statements.push(query.sql);
      knex.on('query', onQuery);
      try {
        await sdk.scrape('events.delivery.oldest_pending_age');
        expect(statements).toEqual([]);
      } finally {
        knex.off('query', onQuery);
      }
    });
  });
});
