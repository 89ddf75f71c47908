import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  metricsServiceRef,
  type MetricsService,
} from '@plinth/backend-plugin-api/alpha';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { DefaultMetricsService } from './DefaultMetricsService';
import { metricsServiceFactory } from './metricsServiceFactory';

function pluginUsingMetrics(
  pluginId: string,
  use: (metrics: MetricsService) => void,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { metrics: metricsServiceRef },
        async init(deps) {
          use(deps.metrics);
        },
      });
    },
  });
}

/** Registers an SDK as an app would, and reads what it collected. */
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
    async collect() {
      await reader.forceFlush();
      return (
        exporter
          .getMetrics()
          .at(-1)!
          // The backend's own series, such as plugin init times, have their
          // own test in DefaultRootMetricsService.test.ts.
          .scopeMetrics.filter(scope => scope.scope.name !== 'plinth-backend')
          .map(scope => ({
            scope: scope.scope.name,
            version: scope.scope.version,
            metrics: scope.metrics.map(m => ({
              name: m.descriptor.name,
              unit: m.descriptor.unit,
              points: m.dataPoints.map(p => [p.attributes, p.value]),
            })),
          }))
          .sort((a, b) => a.scope.localeCompare(b.scope))
      );
    },
    async shutdown() {
      await provider.shutdown();
      metrics.disable();
    },
  };
}

describe('metricsServiceFactory', () => {
  it('records into a meter named after each plugin when the app registered an SDK', async () => {
    const sdk = registerSdk();
    try {
      const backend = await startTestBackend({
        features: [
          metricsServiceFactory,
          pluginUsingMetrics('todo', m => {
            m.createCounter('todo.created', { unit: '{todo}' }).add(2, {
              list: 'home',
            });
            m.createObservableGauge('todo.open').addCallback(result =>
              result.observe(5),
            );
          }),
          pluginUsingMetrics('catalog', m => {
            m.createHistogram('catalog.stitch.duration', { unit: 'ms' }).record(
              12,
            );
          }),
        ],
      });
      const collected = await sdk.collect();
      await backend.stop();
      expect(collected).toEqual([
        {
          scope: 'backstage-plugin-catalog',
          version: '',
          metrics: [
            {
              name: 'catalog.stitch.duration',
              unit: 'ms',
              points: [[{}, expect.objectContaining({ count: 1, sum: 12 })]],
            },
          ],
        },
        {
          scope: 'backstage-plugin-todo',
          version: '',
          metrics: [
            {
              name: 'todo.created',
              unit: '{todo}',
              points: [[{ list: 'home' }, 2]],
            },
            { name: 'todo.open', unit: '', points: [[{}, 5]] },
          ],
        },
      ]);
    } finally {
      await sdk.shutdown();
    }
  });

  it('names the meter from backend.metrics.plugin.<pluginId>.meter', async () => {
    const sdk = registerSdk();
    try {
      const backend = await startTestBackend({
        features: [
          metricsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                metrics: {
                  plugin: {
                    todo: { meter: { name: 'acme-todo', version: '1.2.0' } },
                  },
                },
              },
            },
          }),
          pluginUsingMetrics('todo', m =>
            m.createUpDownCounter('todo.in_flight').add(-1),
          ),
        ],
      });
      const collected = await sdk.collect();
      await backend.stop();
      expect(collected).toEqual([
        {
          scope: 'acme-todo',
          version: '1.2.0',
          metrics: [{ name: 'todo.in_flight', unit: '', points: [[{}, -1]] }],
        },
      ]);
    } finally {
      await sdk.shutdown();
    }
  });
});

describe('DefaultMetricsService', () => {
  it("records into OpenTelemetry's no-op meter when no SDK is registered", () => {
    const service = DefaultMetricsService.create({
      name: 'backstage-plugin-x',
    });
    const counter = service.createCounter('x.count');
    expect(() => counter.add(1)).not.toThrow();
    const gauge = service.createObservableGauge('x.gauge');
    const callback = jest.fn();
    gauge.addCallback(callback);
    gauge.removeCallback(callback);
    expect(callback).not.toHaveBeenCalled();
    expect(counter).toBe(metrics.getMeter('any').createCounter('any'));
  });
});
