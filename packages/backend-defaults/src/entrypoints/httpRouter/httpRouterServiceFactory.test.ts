import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type BackstageCredentials,
  type HttpAuthService,
  type JsonObject,
} from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { AuthenticationError } from '@plinth/errors';
import supertest from 'supertest';
import { createRootHttpRouterServiceFactory } from '../rootHttpRouter/rootHttpRouterServiceFactory';
import { httpRouterServiceFactory } from './httpRouterServiceFactory';

describe('httpRouterServiceFactory', () => {
  it("mounts each plugin's router under /api/<pluginId> behind the auth barrier", async () => {
    const { features, port } = backendFeatures();
    await startTestBackend({
      features: [...features, todoPlugin('todo'), todoPlugin('notes')],
    });
    const request = supertest(`http://127.0.0.1:${port()}`);
    await request
      .get('/api/todo/items')
      .set('Authorization', 'Bearer user')
      .expect(200, { plugin: 'todo' });
    await request
      .get('/api/notes/items')
      .set('Authorization', 'Bearer user')
      .expect(200, { plugin: 'notes' });
    await request.get('/api/todo/items').expect(401);
    await request.get('/api/todo/health').expect(200, { plugin: 'todo' });
  });

  it('turns the barrier off with dangerouslyDisableDefaultAuthPolicy and warns once', async () => {
    const logger = MockLoggerService.create();
    const { features, port } = backendFeatures({
      auth: { dangerouslyDisableDefaultAuthPolicy: true },
    });
    await startTestBackend({
      features: [
        ...features,
        mockServices.rootLogger.factory({ logger }),
        todoPlugin('todo'),
        todoPlugin('notes'),
      ],
    });
    const request = supertest(`http://127.0.0.1:${port()}`);
    await request.get('/api/todo/items').expect(200);
    await request.get('/api/notes/items').expect(200);
    expect(logger.messages('warn')).toEqual([
      "Every plugin route is served without credentials because 'backend.auth.dangerouslyDisableDefaultAuthPolicy' is true; remove it unless this backend is unreachable from untrusted networks.",
    ]);
  });
});

/** A plugin that serves `/items` and an unauthenticated `/health`. */
function todoPlugin(pluginId: string) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { http: coreServices.httpRouter },
        async init({ http }) {
          http.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
          http.use((_req, res) => {
            res.json({ plugin: pluginId });
          });
        },
      });
    },
  });
}

/**
 * The HTTP factories on a random port of 127.0.0.1, a health service that
 * is always ready, and an httpAuth that accepts `Bearer user`.
 */
function backendFeatures(backendConfig: JsonObject = {}) {
  let port = 0;
  const features = [
    httpRouterServiceFactory,
    createRootHttpRouterServiceFactory({
      onListening: address => {
        port = address.port;
      },
    }),
    mockServices.rootConfig.factory({
      data: {
        backend: {
          listen: { host: '127.0.0.1', port: 0 },
          ...backendConfig,
        },
      },
    }),
    createServiceFactory({
      service: coreServices.rootHealth,
      deps: {},
      factory: () => ({
        getLiveness: async () => ({ ok: true }),
        getReadiness: async () => ({ ok: true }),
      }),
    }),
    createServiceFactory({
      service: coreServices.httpAuth,
      deps: {},
      factory: (): HttpAuthService => ({
        async credentials(req) {
          if (req.headers.authorization !== 'Bearer user') {
            throw new AuthenticationError('Missing credentials.');
          }
          return {
            $$type: '@backstage/BackstageCredentials',
            principal: { type: 'user', userEntityRef: 'user:default/jane' },
          } as BackstageCredentials<never>;
        },
        async issueUserCookie() {
          return { expiresAt: new Date(0) };
        },
      }),
    }),
  ];
  return { features, port: () => port };
}
