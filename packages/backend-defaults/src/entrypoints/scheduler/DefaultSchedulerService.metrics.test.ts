import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import { mockServices, TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { DefaultMetricsService } from '../metrics/DefaultMetricsService';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import { SCHEDULER_TASKS_TABLE } from './TaskStore';
import { taskProbes, waitUntil } from './taskProbes.fixture';

const databases = TestDatabases.create();

/** An SDK with an in-memory reader, registered as an app would. */
function registerSdk() {
  const exporter = new InMemoryMetricExporter(
    AggregationTemporality.CUMULATIVE,
  );
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 60_000,
  });
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  return {
    /** The data points of one instrument, by their attributes. */
    async read(name: string) {
      await reader.forceFlush();
      const metric = exporter
        .getMetrics()
        .at(-1)
        ?.scopeMetrics.flatMap(scope => scope.metrics)
        .find(m => m.descriptor.name === name);
      return metric;
    },
    async shutdown() {
      await provider.shutdown();
      metrics.disable();
    },
  };
}

describe.each(databases.eachSupportedId())(
  'DefaultSchedulerService metrics on %s',
  id => {
    let knex: Knex;
    let sdk: ReturnType<typeof registerSdk>;
    const lifecycles: Array<ReturnType<typeof mockServices.lifecycle>> = [];

    beforeEach(async () => {
      knex = await databases.init(id);
      sdk = registerSdk();
    });

    afterEach(async () => {
      await Promise.all(lifecycles.splice(0).map(l => l.shutdown()));
      await sdk.shutdown();
    });

    function createReplica() {
      const lifecycle = mockServices.lifecycle();
      lifecycles.push(lifecycle);
      const scheduler = DefaultSchedulerService.create({
        database: { getClient: async () => knex },
        logger: mockServices.rootLogger(),
        lifecycle,
        pluginMetadata: { getId: () => 'catalog' },
        rootConfig: mockServices.rootConfig({
          data: { backend: { scheduler: { pollInterval: 'PT0.05S' } } },
        }),
        metrics: DefaultMetricsService.create({
          name: 'backstage-plugin-catalog',
        }),
      });
      return { scheduler, lifecycle };
    }

    async function runCounts() {
      const metric = await sdk.read('scheduler.task.runs');
      return Object.fromEntries(
        (metric?.dataPoints ?? []).map(p => [
          `${String(p.attributes.task)}/${String(p.attributes.result)}`,
          p.value,
        ]),
      );
    }

    it('counts runs by task and result, and records their durations in seconds', async () => {
      const replica = createReplica();
      let calls = 0;
      await replica.scheduler.scheduleTask({
        id: 'sync',
        frequency: { trigger: 'manual' },
        timeout: 'PT1H',
        fn: () => {
          calls += 1;
          if (calls === 2) {
            throw new Error('upstream down');
          }
        },
      });
      const gate = taskProbes.holdRun();
      await replica.scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: { trigger: 'manual' },
        timeout: 'PT1H',
        fn: gate.fn,
      });
      await replica.lifecycle.startup();

      await taskProbes.triggerWhenIdle(() =>
        replica.scheduler.triggerTask('sync'),
      );
      await waitUntil(async () => (await runCounts())['sync/succeeded'] === 1);
      await taskProbes.triggerWhenIdle(() =>
        replica.scheduler.triggerTask('sync'),
      );
      await waitUntil(async () => (await runCounts())['sync/failed'] === 1);
      await replica.scheduler.triggerTask('refresh');
      await gate.started;
      await replica.scheduler.cancelTask('refresh');
      await waitUntil(async () => (await runCounts())['refresh/aborted'] === 1);

      expect(await runCounts()).toEqual({
        'sync/succeeded': 1,
        'sync/failed': 1,
        'refresh/aborted': 1,
      });
      const duration = (await sdk.read(
        'scheduler.task.duration',
      )) as HistogramMetricData;
      expect(duration.descriptor.unit).toBe('s');
      expect(
        duration.dataPoints.map(p => [p.attributes.task, p.value.count]),
      ).toEqual(
        expect.arrayContaining([
          ['sync', 2],
          ['refresh', 1],
        ]),
      );
    });

    it('counts a claim that takes over an expired lease', async () => {
      const first = createReplica();
      const gate = taskProbes.holdRun({ ignoreAbort: true });
      const task = {
        id: 'sync',
        frequency: { trigger: 'manual' as const },
        timeout: 'PT1H',
      };
      await first.scheduler.scheduleTask({ ...task, fn: gate.fn });
      await first.lifecycle.startup();
      await first.scheduler.triggerTask('sync');
      await gate.started;
      const before = await sdk.read('scheduler.task.lease_takeovers');
      expect(before?.dataPoints ?? []).toEqual([]);

      await knex(SCHEDULER_TASKS_TABLE)
        .where({ id: 'sync' })
        .update({
          current_run_expires_at: knex.raw("now() - interval '1 second'"),
        });
      const second = createReplica();
      const counter = taskProbes.countRuns();
      await second.scheduler.scheduleTask({ ...task, fn: counter.fn });
      await second.lifecycle.startup();
      await counter.waitForRuns(1);

      const takeovers = await sdk.read('scheduler.task.lease_takeovers');
      expect(takeovers?.dataPoints.map(p => [p.attributes, p.value])).toEqual([
        [{ task: 'sync' }, 1],
      ]);
      gate.release();
    });
  },
);
