import { connect as connectTcp } from 'node:net';
import type { RootHttpRouterServiceWebSocketHandler } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import WebSocket, { WebSocketServer } from 'ws';
import { ConfigReader } from '../../config';
import { DefaultRootHttpRouterService } from './DefaultRootHttpRouterService';

describe('DefaultRootHttpRouterService', () => {
  it('hands an upgrade at its exact path to the root handler without a credentials check', async () => {
    const { router, port } = await startRouter();
    router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?client=test`);
    await expect(nextMessage(ws)).resolves.toBe('hello /ws?client=test');
    ws.close();
  });

  it('matches paths case-sensitively, with the trailing slash significant', async () => {
    const { router, port } = await startRouter();
    router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet });
    for (const path of ['/WS', '/ws/']) {
      const response = splitResponse(await rawUpgrade(port, path));
      expect(response.head[0]).toBe('HTTP/1.1 404 Not Found');
      expect(JSON.parse(response.body).error.message).toBe(
        `No WebSocket handler is registered at '${path}'.`,
      );
    }
  });

  it('serves a request that asks to upgrade to another protocol as an ordinary request', async () => {
    const { router, port } = await startRouter();
    router.use('/plain', (_req, res) => {
      res.json({ served: true });
    });
    router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet });
    const response = splitResponse(
      await rawUpgrade(port, '/plain', { Upgrade: 'h2c' }),
    );
    expect(response.head[0]).toBe('HTTP/1.1 200 OK');
    expect(response.head).toContain('Connection: close');
    expect(JSON.parse(response.body)).toEqual({ served: true });
  });

  it('leaves upgrades to paths without a handler to the other upgrade listeners, with a warning', async () => {
    const { router, port, logger } = await startRouter();
    router.server.on('upgrade', (_request, socket) => {
      socket.end('HTTP/1.1 418 I am a teapot\r\nConnection: close\r\n\r\n');
    });
    router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet });
    const response = splitResponse(await rawUpgrade(port, '/legacy'));
    expect(response.head[0]).toBe('HTTP/1.1 418 I am a teapot');
    expect(logger.messages('warn')).toEqual([
      "The HTTP server has 'upgrade' listeners besides the WebSocket router; upgrades to paths without a WebSocket handler are left to them. Register such handlers with addWebSocketHandler() instead, so that each upgrade has one owner.",
    ]);
  });

  it('holds an upgrade to an installed plugin until the backend has started', async () => {
    const { router, port, lifecycle, pluginLookups } = await startRouter({
      plugins: ['late'],
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/late/ws`);
    const greeting = nextMessage(ws);
    // The plugin registers its handler while it starts, after the upgrade
    // arrived.
    await pluginLookups.next();
    router.addWebSocketHandler({
      path: '/api/late/ws',
      handler: acceptAndGreet,
    });
    await lifecycle.startup();
    await expect(greeting).resolves.toBe('hello /api/late/ws');
    ws.close();
  });

  it('answers a held upgrade with 503 when the backend stops before it started', async () => {
    const { router, port, lifecycle, pluginLookups } = await startRouter({
      plugins: ['late'],
    });
    router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet });
    const response = rawUpgrade(port, '/api/late/ws');
    await pluginLookups.next();
    await lifecycle.beforeShutdown();
    const { head, body } = splitResponse(await response);
    expect(head[0]).toBe('HTTP/1.1 503 Service Unavailable');
    expect(JSON.parse(body).error).toEqual({
      name: 'ServiceUnavailableError',
      message:
        "Plugin 'late' is not available: the backend is shutting down before it finished starting. Try again once it has restarted.",
    });
  });

  it('closes the sockets of a handler that fails', async () => {
    const { router, port, logger } = await startRouter();
    router.addWebSocketHandler({
      path: '/ws',
      handler: () => {
        throw new Error('broken handler');
      },
    });
    await expect(rawUpgrade(port, '/ws')).resolves.toBe('');
    expect(logger.messages('warn')).toEqual([
      "WebSocket handler at '/ws' failed; its socket is closed",
    ]);
  });

  it('rejects a path that is not an exact absolute path', async () => {
    const { router } = await startRouter();
    for (const path of ['ws', '/ws?x=1', '/a/../b', '/a b', 7]) {
      expect(() =>
        router.addWebSocketHandler({
          path: path as string,
          handler: acceptAndGreet,
        }),
      ).toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(
            /^Cannot add a WebSocket handler at .+: a WebSocket path is an absolute path without query or fragment, written as a request would send it, such as '\/api\/todo\/events'\.$/,
          ),
        }),
      );
    }
  });

  it('rejects a handler that is not a function', async () => {
    const { router } = await startRouter();
    expect(() =>
      router.addWebSocketHandler({
        path: '/ws',
        handler: 'nope' as unknown as typeof acceptAndGreet,
      }),
    ).toThrow(
      "Cannot add WebSocket handler the string 'nope' at '/ws': pass a function that takes { request, socket, head }.",
    );
  });

  it('rejects a second handler at the same path', async () => {
    const { router } = await startRouter();
    router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet });
    expect(() =>
      router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet }),
    ).toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message:
          "Cannot add a WebSocket handler at '/ws': another handler is registered at that path. Give each handler a path of its own.",
      }),
    );
  });

  it('rejects handlers once the server has shut down', async () => {
    const { router, lifecycle } = await startRouter();
    await lifecycle.startup();
    await lifecycle.beforeShutdown();
    expect(() =>
      router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet }),
    ).toThrow(
      expect.objectContaining({
        name: 'RuntimeServiceError',
        code: 'HTTP_SERVER_CLOSED',
        message:
          "Cannot add a WebSocket handler at '/ws': the HTTP server has shut down. Add WebSocket handlers while the backend starts.",
      }),
    );
  });

  it('closes open WebSockets when the server drains on shutdown', async () => {
    const { router, port, lifecycle, logger } = await startRouter();
    router.addWebSocketHandler({ path: '/ws', handler: acceptAndGreet });
    await lifecycle.startup();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await nextMessage(ws);
    const closed = new Promise(resolve => ws.once('close', resolve));
    await lifecycle.beforeShutdown();
    await closed;
    expect(logger.messages('info')).toContain('Closed 1 WebSocket connections');
  });
});

const wss = new WebSocketServer({ noServer: true });

/** Completes the handshake and sends `hello <url>`. */
function acceptAndGreet(
  context: Parameters<RootHttpRouterServiceWebSocketHandler['handler']>[0],
) {
  wss.handleUpgrade(context.request, context.socket, context.head, ws =>
    ws.send(`hello ${context.request.url}`),
  );
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    ws.once('message', data => resolve((data as Buffer).toString()));
    ws.once('error', reject);
  });
}

const running: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

/** Starts a router on a random port of 127.0.0.1 with `plugins` installed. */
async function startRouter(options: { plugins?: string[] } = {}) {
  const lifecycle = mockServices.rootLifecycle();
  const logger = mockServices.rootLogger();
  let lookedUp = deferred();
  const router = await DefaultRootHttpRouterService.create({
    config: new ConfigReader({
      backend: { listen: { host: '127.0.0.1', port: 0 } },
    }),
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
  return {
    router,
    lifecycle,
    logger,
    port: router.address.port,
    /** Resolves when the start-up gate next reads the installed plugins. */
    pluginLookups: {
      next: async () => {
        await lookedUp.promise;
        lookedUp = deferred();
      },
    },
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

/**
 * Sends a WebSocket upgrade over a bare TCP connection and resolves with
 * everything the server wrote once it closed the connection.
 */
function rawUpgrade(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => {
      const lines = [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Connection: Upgrade',
        ...(headers.Upgrade ? [] : ['Upgrade: websocket']),
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

function splitResponse(raw: string): { head: string[]; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  return {
    head: raw.slice(0, end).split('\r\n'),
    body: raw.slice(end + 4),
  };
}
