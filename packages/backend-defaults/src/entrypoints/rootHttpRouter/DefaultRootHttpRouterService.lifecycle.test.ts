import http from 'node:http';
import net from 'node:net';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import supertest from 'supertest';
import { ConfigReader } from '../../config';
import { DefaultRootHttpRouterService } from './DefaultRootHttpRouterService';

describe('DefaultRootHttpRouterService', () => {
  it('holds requests to an installed plugin until the backend has started', async () => {
    const { router, lifecycle, request, pluginLookups } = await startRouter({
      plugins: ['catalog'],
    });
    const response = request.get('/api/catalog/entities').then(r => r);
    await pluginLookups.next();
    router.use('/api/catalog', (_req, res) => {
      res.json({ items: [] });
    });
    await lifecycle.startup();
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it.each(['/API/catalog/entities', '/api/Catalog/entities'])(
    'holds a request to %p, which express routes to the plugin as it ignores case, and answers 503 naming the plugin when the wait times out',
    async path => {
      const { request } = await startRouter({
        plugins: ['catalog'],
        data: { backend: { lifecycle: { startupRequestWaitTimeout: 5 } } },
      });
      await request.get(path).expect(503, {
        error: {
          name: 'ServiceUnavailableError',
          message:
            "Plugin 'catalog' is not ready: the backend was still starting after this request waited 5ms. Try again later; if start-up is slow, raise 'backend.lifecycle.startupRequestWaitTimeout'.",
        },
        request: { method: 'GET', url: path },
        response: { statusCode: 503 },
      });
    },
  );

  it('passes a held request spelled in another case on to the plugin once the backend has started', async () => {
    const { router, lifecycle, request, pluginLookups } = await startRouter({
      plugins: ['catalog'],
    });
    const response = request.get('/API/Catalog/entities').then(r => r);
    await pluginLookups.next();
    router.use('/api/catalog', (req, res) => {
      res.json({ baseUrl: req.baseUrl, path: req.path });
    });
    await lifecycle.startup();
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ baseUrl: '/API/Catalog', path: '/entities' });
  });

  it('does not hold requests to paths of plugins that are not installed', async () => {
    const { request } = await startRouter({ plugins: ['catalog'] });
    await request.get('/api/search/query').expect(404);
    await request.get('/other').expect(404);
  });

  it('answers 503 naming the plugin when the backend has not started within startupRequestWaitTimeout', async () => {
    const { request } = await startRouter({
      plugins: ['catalog'],
      data: { backend: { lifecycle: { startupRequestWaitTimeout: 5 } } },
    });
    await request.get('/api/catalog/entities').expect(503, {
      error: {
        name: 'ServiceUnavailableError',
        message:
          "Plugin 'catalog' is not ready: the backend was still starting after this request waited 5ms. Try again later; if start-up is slow, raise 'backend.lifecycle.startupRequestWaitTimeout'.",
      },
      request: { method: 'GET', url: '/api/catalog/entities' },
      response: { statusCode: 503 },
    });
  });

  it('answers 503 to held requests when the backend stops before it started', async () => {
    const { lifecycle, request, pluginLookups } = await startRouter({
      plugins: ['catalog'],
    });
    const response = request.get('/api/catalog/entities').then(r => r);
    await pluginLookups.next();
    await lifecycle.beforeShutdown();
    const res = await response;
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      error: {
        name: 'ServiceUnavailableError',
        message:
          "Plugin 'catalog' is not available: the backend is shutting down before it finished starting. Try again once it has restarted.",
      },
    });
  });

  it('lets a request in flight finish on shutdown while refusing new connections', async () => {
    const { router, lifecycle, port } = await startRouter();
    const slow = deferred();
    const reached = deferred();
    router.use('/api/slow', async (_req, res) => {
      reached.resolve();
      await slow.promise;
      res.json({ done: true });
    });
    await lifecycle.startup();
    const response = get(port, '/api/slow');
    await reached.promise;

    let drained = false;
    const draining = lifecycle.beforeShutdown().then(() => {
      drained = true;
    });
    await new Promise(resolve => setImmediate(resolve));
    await expect(get(port, '/api/slow')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(drained).toBe(false);

    slow.resolve();
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(res.body).toBe('{"done":true}');
    await draining;
  });

  it('closes idle keep-alive connections when it drains', async () => {
    const { router, lifecycle, port } = await startRouter();
    router.use('/api/quick', (_req, res) => {
      res.json({});
    });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const res = await get(port, '/api/quick', agent);
      expect(res.headers.connection).toBe('keep-alive');
      const socketClosed = new Promise(resolve =>
        Object.values(agent.freeSockets).flat()[0]?.once('close', resolve),
      );
      await lifecycle.beforeShutdown();
      await socketClosed;
    } finally {
      agent.destroy();
    }
  });

  it('keeps serving for serverShutdownDelay before it closes', async () => {
    const { router, lifecycle, port } = await startRouter({
      data: {
        backend: { lifecycle: { serverShutdownDelay: { seconds: 10 } } },
      },
    });
    router.use('/api/quick', (_req, res) => {
      res.json({});
    });
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const draining = lifecycle.beforeShutdown();
      await new Promise(resolve => setImmediate(resolve));
      expect((await get(port, '/api/quick')).status).toBe(200);
      jest.advanceTimersByTime(10_000);
      await draining;
      await expect(get(port, '/api/quick')).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends the connections still open once serverDrainTimeout has passed, within the before-shutdown hook', async () => {
    const { router, lifecycle, port, logger } = await startRouter({
      data: { backend: { lifecycle: { serverDrainTimeout: 1 } } },
    });
    const reached = deferred();
    router.use('/api/stuck', () => {
      reached.resolve();
    });
    const response = get(port, '/api/stuck');
    await reached.promise;
    await lifecycle.beforeShutdown();
    await expect(response).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(logger.messages('warn')).toEqual([
      "Ended 1 HTTP request still in flight after waiting 1ms for it to finish. Raise 'backend.lifecycle.serverDrainTimeout' if such requests need longer.",
    ]);
  });

  it('fails naming the file when serverDrainTimeout is not a duration', async () => {
    await expect(
      startRouter({
        data: { backend: { lifecycle: { serverDrainTimeout: 'soon' } } },
      }),
    ).rejects.toThrow(
      "Invalid config at 'backend.lifecycle.serverDrainTimeout' (app-config.local.yaml): expected a duration: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got \"soon\".",
    );
  });

  it('fails with the address and the key to change when the port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>(resolve =>
      blocker.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await expect(
        startRouter({ data: { backend: { listen: { port } } } }),
      ).rejects.toMatchObject({
        name: 'RuntimeServiceError',
        code: 'HTTP_SERVER_PORT_IN_USE',
        message: `Could not start the HTTP server on '127.0.0.1:${port}': port ${port} is already in use. Stop the process that uses it, or set 'backend.listen.port' to a free port (0 picks one).`,
      });
    } finally {
      blocker.close();
    }
  });

  it('fails with the address and the key to change when the host is not an address of this machine', async () => {
    await expect(
      startRouter({ data: { backend: { listen: { host: '192.0.2.1' } } } }),
    ).rejects.toMatchObject({
      name: 'RuntimeServiceError',
      code: 'HTTP_SERVER_UNKNOWN_HOST',
      message:
        "Could not start the HTTP server on '192.0.2.1:0': '192.0.2.1' is not an address of this machine. Set 'backend.listen.host' to one of its addresses or names, or remove it to listen on every interface.",
    });
  });

  it('fails naming the file when the port is out of range', async () => {
    await expect(
      startRouter({ data: { backend: { listen: { port: 70000 } } } }),
    ).rejects.toThrow(
      "Invalid config at 'backend.listen.port' (app-config.local.yaml): expected an integer from 0 to 65535 (0 picks a free port), got 70000.",
    );
  });
});

const running: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

/**
 * Starts a router on a random port of 127.0.0.1 with `data` as the
 * app-config.local.yaml layer and `plugins` installed. `pluginLookups.next()`
 * resolves when the start-up gate next reads the installed plugins.
 */
async function startRouter(
  options: { data?: JsonObject; plugins?: string[] } = {},
) {
  const lifecycle = mockServices.rootLifecycle();
  const logger = mockServices.rootLogger();
  let lookedUp = deferred();
  const router = await DefaultRootHttpRouterService.create({
    config: ConfigReader.fromConfigs([
      {
        context: 'app-config.yaml',
        data: { backend: { listen: { host: '127.0.0.1', port: 0 } } },
      },
      { context: 'app-config.local.yaml', data: options.data ?? {} },
    ]),
    logger,
    lifecycle,
    health: {
      getLiveness: async () => ({ ok: true }),
      getReadiness: async () => ({ ok: true }),
    },
    instanceMetadata: {
      getId: () => 'test',
      getInstalledPlugins: async () => {
        lookedUp.resolve();
        return (options.plugins ?? []).map(pluginId => ({
          pluginId,
          modules: [],
        }));
      },
    },
  });
  running.push(async () => {
    await lifecycle.beforeShutdown();
    await lifecycle.shutdown();
  });
  const { port } = router.address;
  return {
    router,
    lifecycle,
    logger,
    port,
    request: supertest(`http://127.0.0.1:${port}`),
    pluginLookups: {
      next: async () => {
        await lookedUp.promise;
        lookedUp = deferred();
      },
    },
  };
}

/** A plain GET on a fresh connection (or `agent`), with the body as text. */
function get(
  port: number,
  path: string,
  agent: http.Agent | false = false,
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}
