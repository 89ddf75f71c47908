import http from 'node:http';
import type {
  HealthStatus,
  JsonObject,
  RootHealthService,
} from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import type express from 'express';
import supertest from 'supertest';
import { ConfigReader } from '../../config';
import { DefaultRootMetricsService } from '../metrics';
import { DefaultRootHttpRouterService } from './DefaultRootHttpRouterService';

describe('DefaultRootHttpRouterService', () => {
  it('answers the health routes from the health service', async () => {
    const health = createHealthStub();
    const { request } = await startRouter({ health });
    await request
      .get('/.backstage/health/v1/liveness')
      .expect(200, { status: 'ok' });
    await request
      .get('/.backstage/health/v1/readiness')
      .expect(503, { status: 'error', message: "backend is 'starting'" });
    health.readiness = { ok: true };
    const ready = await request
      .get('/.backstage/health/v1/readiness')
      .expect(200, { status: 'ok' });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('answers the health routes in any case, with a trailing slash and to an absolute request target', async () => {
    const { router, request } = await startRouter();
    await request
      .get('/.BACKSTAGE/Health/v1/LIVENESS')
      .expect(200, { status: 'ok' });
    await request
      .get('/.backstage/health/v1/liveness/')
      .expect(200, { status: 'ok' });
    const { port } = router.address;
    await expect(
      sendRaw(port, {
        method: 'GET',
        path: `http://127.0.0.1:${port}/.backstage/health/v1/liveness`,
      }),
    ).resolves.toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it('says it listens on every interface rather than printing :::', async () => {
    const { router, logger } = await startRouter({
      data: { backend: { listen: { host: '0.0.0.0' } } },
    });
    expect(logger.messages('info')).toEqual([
      `Listening on *:${router.address.port} (every interface); health checks answer now, plugin requests once the backend has started`,
    ]);
  });

  it('logs each request at info and health checks and metrics scrapes at debug', async () => {
    const { router, request, logger } = await startRouter({ metrics: true });
    router.use('/api/todo', (_req, res) => {
      res.status(201).json({});
    });
    await request.post('/api/todo/items?token=abc').expect(201);
    await request.get('/.backstage/health/v1/liveness').expect(200);
    await request.get('/metrics').expect(200);
    expect(logger.messages('info')).toEqual([
      expect.stringMatching(
        /^Listening on 127\.0\.0\.1:\d+; health checks answer now, plugin requests once the backend has started$/,
      ),
      expect.stringMatching(/^POST \/api\/todo\/items 201 \d+ms$/),
    ]);
    expect(logger.messages('debug')).toContainEqual(
      expect.stringMatching(/^GET \/metrics 200 \d+ms$/),
    );
    expect(logger.messages('debug')).toContainEqual(
      expect.stringMatching(
        /^GET \/\.backstage\/health\/v1\/liveness 200 \d+ms$/,
      ),
    );
    const line = logger.lines.find(l => l.message.startsWith('POST'));
    expect(line?.meta).toEqual({
      method: 'POST',
      path: '/api/todo/items',
      status: 201,
      durationMs: expect.any(Number),
    });
  });

  it('sends helmet security headers with the default Content-Security-Policy', async () => {
    const { request } = await startRouter();
    const res = await request.get('/.backstage/health/v1/liveness');
    expect(res.headers['content-security-policy']).toContain(
      "default-src 'self'",
    );
    expect(res.headers['content-security-policy']).toContain(
      'upgrade-insecure-requests',
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('replaces Content-Security-Policy directives from backend.csp and removes those set to false', async () => {
    const { request } = await startRouter({
      data: {
        backend: {
          csp: {
            'img-src': ["'self'", 'https://img.example.com'],
            'upgrade-insecure-requests': false,
          },
        },
      },
    });
    const res = await request.get('/.backstage/health/v1/liveness');
    expect(res.headers['content-security-policy']).toContain(
      "img-src 'self' https://img.example.com",
    );
    expect(res.headers['content-security-policy']).not.toContain(
      'upgrade-insecure-requests',
    );
  });

  it('sends no CORS headers when backend.cors is not set', async () => {
    const { request } = await startRouter();
    const res = await request
      .get('/.backstage/health/v1/liveness')
      .set('Origin', 'https://app.example.com');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows the origins of backend.cors, with wildcards, and no others', async () => {
    const { request } = await startRouter({
      data: {
        backend: {
          cors: {
            origin: ['https://app.example.com', 'https://*.example.org'],
            methods: ['GET', 'POST'],
            credentials: true,
          },
        },
      },
    });
    const allowed = await request
      .get('/.backstage/health/v1/liveness')
      .set('Origin', 'https://app.example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe(
      'https://app.example.com',
    );
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const wildcard = await request
      .options('/api/todo')
      .set('Origin', 'https://docs.example.org')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(wildcard.headers['access-control-allow-origin']).toBe(
      'https://docs.example.org',
    );
    expect(wildcard.headers['access-control-allow-methods']).toBe('GET,POST');
    const denied = await request
      .get('/.backstage/health/v1/liveness')
      .set('Origin', 'https://example.org.evil.com');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers preflight requests with the default methods when only origin is set', async () => {
    const { request } = await startRouter({
      data: { backend: { cors: { origin: 'https://app.example.com' } } },
    });
    const res = await request
      .options('/api/todo')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'DELETE')
      .expect(204);
    expect(res.headers['access-control-allow-methods']).toBe(
      'GET,HEAD,PUT,PATCH,POST,DELETE',
    );
  });

  it('compresses responses the client accepts compressed', async () => {
    const { router, request } = await startRouter();
    router.use('/api/big', (_req, res) => {
      res.json({ text: 'x'.repeat(10_000) });
    });
    const res = await request
      .get('/api/big')
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect((res.body as { text: string }).text).toHaveLength(10_000);
  });

  it('parses no request body, leaving the stream to the plugin', async () => {
    const { router, request } = await startRouter();
    router.use('/api/echo', (req, res) => {
      res.json({ parsed: req.body !== undefined, readable: req.readable });
    });
    await request
      .post('/api/echo')
      .send({ hello: 'world' })
      .expect(200, { parsed: false, readable: true });
  });

  it('hands a mounted handler the request as express mounts one', async () => {
    const { router, request } = await startRouter();
    router.use('/api/echo', (req, res) => {
      res.json({
        url: req.url,
        baseUrl: req.baseUrl,
        originalUrl: req.originalUrl,
        params: req.params,
        query: req.query,
      });
    });
    await request.get('/API/Echo/items/1?q=a').expect(200, {
      url: '/items/1?q=a',
      baseUrl: '/API/Echo',
      originalUrl: '/API/Echo/items/1?q=a',
      params: {},
      query: { q: 'a' },
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { request } = await startRouter();
    await request.get('/nope?x=1').expect(404, {
      error: {
        name: 'NotFoundError',
        message:
          "No route matches GET '/nope'. Check the path and method; plugin routes are served under '/api/<pluginId>'.",
      },
      request: { method: 'GET', url: '/nope?x=1' },
      response: { statusCode: 404 },
    });
  });

  it('reports the address it listens on', async () => {
    const addresses: Array<{ host: string; port: number }> = [];
    const { router } = await startRouter({
      onListening: ({ host, port }) => addresses.push({ host, port }),
    });
    expect(router.address.port).toBeGreaterThan(0);
    expect(addresses).toEqual([
      { host: '127.0.0.1', port: router.address.port },
    ]);
    expect(router.server.listening).toBe(true);
  });

  it('rejects a mount path that is not a plain absolute path', async () => {
    const { router } = await startRouter();
    const handler: express.Handler = (_req, res) => res.end();
    for (const path of ['api/x', '/', '/api/x/', '/api/:id']) {
      expect(() => router.use(path, handler)).toThrow(
        `Cannot mount a handler at the string '${path}': a path is '/' followed by segments of letters, digits, '.', '_', '~' or '-', without a trailing slash, such as '/api/catalog'.`,
      );
    }
  });

  it('rejects a handler that is not a function', async () => {
    const { router } = await startRouter();
    expect(() => router.use('/api/x', {} as express.Handler)).toThrow(
      "Cannot mount an object at '/api/x': pass an express handler or router.",
    );
  });

  it('rejects a mount path that overlaps one already mounted', async () => {
    const { router } = await startRouter();
    const handler: express.Handler = (_req, res) => res.end();
    router.use('/api/catalog', handler);
    expect(() => router.use('/api/Catalog/modules', handler)).toThrow(
      "Cannot mount a handler at '/api/Catalog/modules': it overlaps the handler already mounted at '/api/catalog'. Give each handler a path that is not inside another's.",
    );
    expect(() => router.use('/api', handler)).toThrow(
      "Cannot mount a handler at '/api': it overlaps the handler already mounted at '/api/catalog'. Give each handler a path that is not inside another's.",
    );
    expect(() => router.use('/api/catalogs', handler)).not.toThrow();
  });
});

/**
 * Sends a request with Node's client, which, unlike supertest, can send an
 * absolute request target and a chunked body (one without Content-Length).
 */
function sendRaw(
  port: number,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    chunks?: string[];
  },
): Promise<{ status?: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) {
      req.write(chunk);
    }
    req.end();
  });
}

/** A health service whose answers the test sets. */
function createHealthStub(): RootHealthService & { readiness: HealthStatus } {
  return {
    readiness: { ok: false, reason: "backend is 'starting'" },
    async getLiveness() {
      return { ok: true };
    },
    async getReadiness() {
      return this.readiness;
    },
  };
}

const running: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

/**
 * Starts a router on a random port of 127.0.0.1 with `data` as the
 * app-config.local.yaml layer; it is shut down after the test.
 */
async function startRouter(
  options: {
    data?: JsonObject;
    health?: RootHealthService;
    onListening?: (address: { host: string; port: number }) => void;
    /** Serve `/metrics` and time requests, as `createBackend()` does. */
    metrics?: boolean;
  } = {},
) {
  const logger = mockServices.rootLogger();
  const lifecycle = mockServices.rootLifecycle();
  const config = ConfigReader.fromConfigs([
    {
      context: 'app-config.yaml',
      data: { backend: { listen: { host: '127.0.0.1', port: 0 } } },
    },
    { context: 'app-config.local.yaml', data: options.data ?? {} },
  ]);
  const router = await DefaultRootHttpRouterService.create({
    config,
    metrics: options.metrics
      ? DefaultRootMetricsService.create({
          config,
          logger,
          lifecycle,
          startupTimes: { getPluginInitDurations: () => new Map() },
        })
      : undefined,
    logger,
    lifecycle,
    health: options.health ?? createHealthStub(),
    instanceMetadata: {
      getId: () => 'test',
      getInstalledPlugins: async () => [],
    },
    onListening: options.onListening,
  });
  running.push(async () => {
    await lifecycle.beforeShutdown();
    await lifecycle.shutdown();
  });
  const request = supertest(`http://127.0.0.1:${router.address.port}`);
  return { router, logger, lifecycle, request };
}
