import type { Server } from 'node:http';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type JsonObject,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import supertest from 'supertest';
import { createRootHttpRouterServiceFactory } from './rootHttpRouterServiceFactory';

describe('createRootHttpRouterServiceFactory', () => {
  it('serves plugin routes and health, and drains and closes when the backend stops', async () => {
    const { features, port } = routerFeatures();
    const backend = await startTestBackend({
      features: [...features, pluginWithRoute('todo')],
    });
    const request = supertest(`http://127.0.0.1:${port()}`);
    await request.get('/api/todo/items').expect(200, { plugin: 'todo' });
    await request
      .get('/.backstage/health/v1/readiness')
      .expect(200, { status: 'ok' });
    await backend.stop();
    await expect(request.get('/api/todo/items')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('answers health checks and holds plugin requests while plugins initialise', async () => {
    const { features, port, server, listening } = routerFeatures();
    let releaseInit!: () => void;
    const initReleased = new Promise<void>(r => (releaseInit = r));
    const starting = startTestBackend({
      features: [...features, pluginWithRoute('slow', initReleased)],
    });
    await listening;
    const request = supertest(`http://127.0.0.1:${port()}`);
    await request
      .get('/.backstage/health/v1/readiness')
      .expect(503, { status: 'error', message: "backend is 'starting'" });
    const received = new Promise(r => server().once('request', r));
    const held = request.get('/api/slow/items').then(r => r);
    // Released only once the request is in, so without the hold it would
    // reach the routes before the plugin mounted its own and get a 404.
    await received;
    releaseInit();
    const backend = await starting;
    const res = await held;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ plugin: 'slow' });
    await backend.stop();
  });

  it('runs plugin shutdown hooks and stops once serverDrainTimeout has passed, while a request never finishes', async () => {
    const { features, port } = routerFeatures({
      lifecycle: { serverDrainTimeout: 1 },
    });
    const reached = deferred();
    let pluginStopped = false;
    const stuckPlugin = createBackendPlugin({
      pluginId: 'stuck',
      register(env) {
        env.registerInit({
          deps: {
            rootHttpRouter: coreServices.rootHttpRouter,
            lifecycle: coreServices.lifecycle,
          },
          async init({ rootHttpRouter, lifecycle }) {
            rootHttpRouter.use('/api/stuck', () => reached.resolve());
            lifecycle.addShutdownHook(() => {
              pluginStopped = true;
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [...features, stuckPlugin],
    });
    const request = supertest(`http://127.0.0.1:${port()}`);
    const response = request.get('/api/stuck/forever').then(r => r);
    await reached.promise;
    await backend.stop();
    expect(pluginStopped).toBe(true);
    await expect(response).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

/**
 * The root router on a random port of 127.0.0.1, with `backendConfig` under
 * `backend`, and a health stub that follows the root lifecycle; `port()` and `server()` are known once `listening` resolves.
 */
function routerFeatures(backendConfig: JsonObject = {}) {
  let port = 0;
  let server: Server | undefined;
  let onListening!: () => void;
  const listening = new Promise<void>(r => (onListening = r));
  const features = [
    createRootHttpRouterServiceFactory({
      onListening: address => {
        port = address.port;
        server = address.server;
        onListening();
      },
    }),
    mockServices.rootConfig.factory({
      data: {
        backend: {
          ...backendConfig,
          listen: { host: '127.0.0.1', port: 0 },
        },
      },
    }),
    createServiceFactory({
      service: coreServices.rootHealth,
      deps: { lifecycle: coreServices.rootLifecycle },
      factory: ({ lifecycle }) => {
        let state = 'starting';
        lifecycle.addStartupHook(() => {
          state = 'started';
        });
        lifecycle.addBeforeShutdownHook(() => {
          state = 'stopping';
        });
        return {
          getLiveness: async () => ({ ok: true }),
          getReadiness: async () =>
            state === 'started'
              ? { ok: true }
              : { ok: false, reason: `backend is '${state}'` },
        };
      },
    }),
  ];
  return { features, port: () => port, server: () => server!, listening };
}

/** A plugin that mounts `GET /api/<pluginId>/items` once `ready` resolves. */
function pluginWithRoute(pluginId: string, ready?: Promise<void>) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { rootHttpRouter: coreServices.rootHttpRouter },
        async init({ rootHttpRouter }) {
          await ready;
          rootHttpRouter.use(`/api/${pluginId}`, (req, res, next) => {
            if (req.path !== '/items') {
              next();
              return;
            }
            res.json({ plugin: pluginId });
          });
        },
      });
    },
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}
