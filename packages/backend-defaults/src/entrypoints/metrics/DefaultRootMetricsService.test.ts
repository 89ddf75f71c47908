import os from 'node:os';
import { createNoopMeter, metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  coreServices,
  createBackendPlugin,
  type JsonObject,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { InputError } from '@plinth/errors';
import express from 'express';
import supertest from 'supertest';
import { metricsServiceRef } from '@plinth/backend-plugin-api/alpha';
import { ConfigReader } from '../../config';
import { databaseServiceFactory } from '../database';
import { DefaultRootHttpRouterService } from '../rootHttpRouter';
import { DefaultRootMetricsService } from './DefaultRootMetricsService';

/** A plugin with a parameterised route, a failing route and a database. */
const todoPlugin = createBackendPlugin({
  pluginId: 'todo',
  register(env) {
    env.registerInit({
      deps: { http: coreServices.httpRouter },
      async init({ http }) {
        const router = express.Router();
        router.get('/items/:id', (req, res) => {
          res.json({ id: req.params.id });
        });
        router.get('/fail/:id', () => {
          throw new InputError('no such list');
        });
        http.use(router);
      },
    });
  },
});

const databasePlugin = createBackendPlugin({
  pluginId: 'notes',
  register(env) {
    env.registerInit({
      deps: { database: coreServices.database },
      async init({ database }) {
        await database.getClient();
      },
    });
  },
});

function startBackend(data: JsonObject = {}, ...features: unknown[]) {
  return startTestBackend({
    features: [
      todoPlugin,
      mockServices.rootConfig.factory({ data }),
      ...(features as never[]),
    ],
  });
}

/**
 * The value of the sample `name` whose labels include `labels`, from the
 * Prometheus text `text`; undefined when there is none.
 */
function sampleOf(
  text: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([\w:]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] === name) {
      const present = match[2].split(/,(?=\w+=")/);
      if (wanted.every(label => present.includes(label))) {
        return Number(match[3]);
      }
    }
  }
  return undefined;
}

describe('DefaultRootMetricsService', () => {
  it('serves every series of the backend to a caller on this machine without a token', async () => {
    const backend = await startBackend(
      {},
      databasePlugin,
      databaseServiceFactory,
    );
    const request = supertest(backend.server);
    await request.get('/api/todo/items/1').expect(200);
    const response = await request.get('/metrics').expect(200);
    await backend.stop();

    expect(response.headers['content-type']).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.text;
    expect(text).toContain('# TYPE http_server_request_duration histogram');
    expect(
      sampleOf(text, 'backend_plugin_init_duration', { plugin: 'todo' }),
    ).toBeGreaterThanOrEqual(0);
    expect(
      sampleOf(text, 'backend_plugin_init_duration', { plugin: 'notes' }),
    ).toBeGreaterThanOrEqual(0);
    expect(
      sampleOf(text, 'db_client_connections_usage', {
        pool: 'notes',
        state: 'used',
      }),
    ).toBe(0);
    expect(
      sampleOf(text, 'db_client_connections_usage', {
        pool: 'notes',
        state: 'idle',
      }),
    ).toBeGreaterThanOrEqual(0);
    expect(
      sampleOf(text, 'db_client_connections_pending_requests', {
        pool: 'notes',
      }),
    ).toBe(0);
  }, 60_000);

  it('counts each request under its plugin, route pattern, method and status', async () => {
    const backend = await startBackend();
    const request = supertest(backend.server);
    const count = async (labels: Record<string, string>) =>
      sampleOf(
        (await request.get('/metrics').expect(200)).text,
        'http_server_request_duration_count',
        labels,
      );
    const item = {
      plugin: 'todo',
      route: '/api/todo/items/:id',
      method: 'GET',
      status: '200',
    };
    await expect(count(item)).resolves.toBeUndefined();
    await request.get('/api/todo/items/1').expect(200);
    await request.get('/API/Todo/items/2').expect(200);
    await expect(count(item)).resolves.toBe(2);

    await request.get('/api/todo/fail/3').expect(400);
    await expect(
      count({ plugin: 'todo', route: '/api/todo/fail/:id', status: '400' }),
    ).resolves.toBe(1);

    await request.get('/.backstage/health/v1/liveness').expect(200);
    await expect(
      count({ plugin: 'root', route: '/.backstage/health/v1/liveness' }),
    ).resolves.toBe(1);

    await request.delete('/api/todo/raw-path-4711').expect(404);
    await request.get('/no-plugin-raw-path-4712').expect(404);
    const text = (await request.get('/metrics').expect(200)).text;
    await backend.stop();
    expect(
      sampleOf(text, 'http_server_request_duration_count', {
        plugin: 'todo',
        route: 'unmatched',
        method: 'DELETE',
        status: '404',
      }),
    ).toBe(1);
    expect(
      sampleOf(text, 'http_server_request_duration_count', {
        plugin: 'root',
        route: 'unmatched',
        status: '404',
      }),
    ).toBe(1);
    expect(text).not.toMatch(/raw-path|items\/1|items\/2/);
  });

  it('refuses a request a proxy on this machine forwarded when no token is set', async () => {
    const backend = await startBackend();
    const request = supertest(backend.server);
    for (const [header, value] of [
      ['X-Forwarded-For', '203.0.113.7'],
      ['Forwarded', 'for=203.0.113.7'],
      ['X-Real-IP', '203.0.113.7'],
      ['Via', '1.1 proxy'],
    ]) {
      await request.get('/metrics').set(header, value).expect(403);
    }
    await request.get('/metrics').expect(200);
    await backend.stop();
  });

  it('requires the bearer token of backend.metrics.token when it is set', async () => {
    const backend = await startBackend({
      backend: { metrics: { token: 'scrape-secret' } },
    });
    const request = supertest(backend.server);
    const missing = await request.get('/metrics').expect(401);
    expect(missing.body.error).toEqual({
      name: 'AuthenticationError',
      message:
        "'GET /metrics' needs the token of 'backend.metrics.token' as 'Authorization: Bearer <token>'.",
    });
    const wrong = await request
      .get('/metrics')
      .set('Authorization', 'Bearer scrape-secreT')
      .expect(401);
    expect(wrong.body.error.message).toBe(
      "'GET /metrics' got a bearer token that is not the one of 'backend.metrics.token'. Send that token.",
    );
    await request
      .get('/metrics')
      .set('Authorization', 'Bearer scrape-secret')
      .expect(200);
    await backend.stop();
  });

  it('answers 404 and installs no meter provider when backend.metrics.enabled is false', async () => {
    const backend = await startBackend({
      backend: { metrics: { enabled: false } },
    });
    await supertest(backend.server).get('/metrics').expect(404);
    expect(metrics.getMeterProvider().getMeter('x')).toBe(createNoopMeter());
    await backend.stop();
  });

  it("keeps a meter provider the app registered and records the backend's series into it", async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);
    try {
      const backend = await startBackend();
      const request = supertest(backend.server);
      await request.get('/api/todo/items/1').expect(200);
      const response = await request.get('/metrics').expect(404);
      expect(response.body.error.message).toBe(
        "No metrics are served at 'GET /metrics': the app registered its own OpenTelemetry MeterProvider, so the backend's series go to that provider's exporters.",
      );
      await backend.stop();
      expect(metrics.getMeterProvider()).toBe(provider);
      expect(await reader.names()).toEqual(
        expect.arrayContaining([
          'http.server.request.duration',
          'backend.plugin.init.duration',
        ]),
      );
    } finally {
      await provider.shutdown();
      metrics.disable();
    }
  });

  it('serves a series that several plugins record as one family', async () => {
    const recorder = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: { metrics: metricsServiceRef },
            async init({ metrics: pluginMetrics }) {
              pluginMetrics
                .createCounter('shared.runs')
                .add(1, { task: pluginId });
            },
          });
        },
      });
    const backend = await startBackend({}, recorder('one'), recorder('two'));
    const response = await supertest(backend.server)
      .get('/metrics')
      .expect(200);
    await backend.stop();

    expect(response.text.match(/^# TYPE shared_runs_total /gm)).toHaveLength(1);
    expect(sampleOf(response.text, 'shared_runs_total', { task: 'one' })).toBe(
      1,
    );
    expect(sampleOf(response.text, 'shared_runs_total', { task: 'two' })).toBe(
      1,
    );
  });

  it('shuts down the meter provider it installed when the backend stops', async () => {
    const backend = await startBackend();
    expect(metrics.getMeterProvider().getMeter('x')).not.toBe(
      createNoopMeter(),
    );
    await backend.stop();
    expect(metrics.getMeterProvider().getMeter('x')).toBe(createNoopMeter());
  });
});

// A connection from another host arrives on an address other than the
// loopback; this machine's LAN address stands in for that host.
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find(i => i && i.family === 'IPv4' && !i.internal)?.address;
// Skipped on a machine with no network interface besides the loopback.
const describeFromLan = lanAddress ? describe : describe.skip;

describeFromLan('DefaultRootMetricsService from another host', () => {
  async function startRouterOnAllInterfaces(metricsConfig: JsonObject) {
    const config = new ConfigReader({ backend: { metrics: metricsConfig } });
    const logger = mockServices.rootLogger();
    const lifecycle = mockServices.rootLifecycle();
    const router = await DefaultRootHttpRouterService.create({
      config,
      logger,
      lifecycle,
      health: {
        getLiveness: async () => ({ ok: true }),
        getReadiness: async () => ({ ok: true }),
      },
      instanceMetadata: {
        getId: () => 'test',
        getInstalledPlugins: async () => [],
      },
      listen: { host: '0.0.0.0', port: 0 },
      metrics: DefaultRootMetricsService.create({
        config,
        logger,
        lifecycle,
        startupTimes: { getPluginInitDurations: () => new Map() },
      }),
    });
    return {
      request: supertest(`http://${lanAddress}:${router.address.port}`),
      stop: async () => {
        await lifecycle.beforeShutdown();
        await lifecycle.shutdown();
      },
    };
  }

  it('refuses a caller from another host when no token is set', async () => {
    const { request, stop } = await startRouterOnAllInterfaces({});
    const response = await request.get('/metrics').expect(403);
    await stop();
    expect(response.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        "'GET /metrics' answers only callers on this machine while 'backend.metrics.token' is not set. Set it and send 'Authorization: Bearer <token>' to scrape from another host.",
    });
  });

  it('serves a caller from another host that sends the token', async () => {
    const { request, stop } = await startRouterOnAllInterfaces({
      token: 'scrape-secret',
    });
    await request
      .get('/metrics')
      .set('Authorization', 'Bearer scrape-secret')
      .expect(200);
    await stop();
  });
});

/** A reader that collects only when the test asks. */
class CollectingReader extends MetricReader {
  protected override async onShutdown() {}
  protected override async onForceFlush() {}

  /** The names of the metrics collected. */
  async names(): Promise<string[]> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics.flatMap(s =>
      s.metrics.map(m => m.descriptor.name),
    );
  }
}
