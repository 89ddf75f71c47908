import {
  authServiceFactory,
  httpAuthServiceFactory,
} from '@plinth/backend-defaults';
import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { Router } from 'express';
import request from 'supertest';
import { mockCredentials } from './services/mockCredentials';
import { mockServices } from './services/mockServices';
import { startTestBackend } from './startTestBackend';

const whoamiPlugin = (pluginId: string) =>
  createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          discovery: coreServices.discovery,
        },
        async init({ httpRouter, httpAuth, discovery }) {
          const router = Router();
          router.get('/whoami', async (req, res) => {
            res.json(await httpAuth.credentials(req));
          });
          router.get('/public/url', async (_req, res) => {
            res.json({ url: await discovery.getBaseUrl(pluginId) });
          });
          httpRouter.use(router);
          httpRouter.addAuthPolicy({
            path: '/public',
            allow: 'unauthenticated',
          });
        },
      });
    },
  });

describe('startTestBackend', () => {
  it('serves plugin routes over HTTP with mock credentials', async () => {
    const { server } = await startTestBackend({
      features: [whoamiPlugin('todo')],
    });
    const asJane = await request(server)
      .get('/api/todo/whoami')
      .set('Authorization', mockCredentials.user.header('user:default/jane'));
    expect(asJane.status).toBe(200);
    expect(asJane.body).toEqual(mockCredentials.user('user:default/jane'));

    const byDefault = await request(server).get('/api/todo/whoami');
    expect(byDefault.body).toEqual(mockCredentials.user());
  });

  it('answers health checks and gives discovery the real port', async () => {
    const { server } = await startTestBackend({
      features: [whoamiPlugin('todo')],
    });
    const { port } = server.address() as { port: number };
    await request(server)
      .get('/.backstage/health/v1/readiness')
      .expect(200, { status: 'ok' });
    await request(server)
      .get('/api/todo/public/url')
      .expect(200, { url: `http://127.0.0.1:${port}/api/todo` });
  });

  it('rejects requests without credentials when the default is none', async () => {
    const { server } = await startTestBackend({
      features: [
        whoamiPlugin('todo'),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const response = await request(server).get('/api/todo/whoami');
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({
      name: 'AuthenticationError',
      message: "Missing credentials; send 'Authorization: Bearer <token>'.",
    });
    await request(server).get('/api/todo/public/url').expect(200);
  });

  it('closes the server when stopped', async () => {
    const backend = await startTestBackend({
      features: [whoamiPlugin('todo')],
    });
    await backend.stop();
    expect(backend.server.listening).toBe(false);
  });
});

describe('the default auth services in a test backend', () => {
  const externalAccess = [
    {
      type: 'static',
      options: { token: 'ci-token-for-todo-only', subject: 'ci' },
      accessRestrictions: [{ plugin: 'todo' }],
    },
  ];

  async function startWithRealAuth() {
    const { server } = await startTestBackend({
      features: [
        whoamiPlugin('todo'),
        whoamiPlugin('catalog'),
        authServiceFactory,
        httpAuthServiceFactory,
        mockServices.rootConfig.factory({
          data: { backend: { auth: { externalAccess } } },
        }),
      ],
    });
    return server;
  }

  it('answers an unauthenticated request to a plugin route with 401 and the reason', async () => {
    const server = await startWithRealAuth();
    const response = await request(server).get('/api/todo/whoami');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: {
        name: 'AuthenticationError',
        message:
          "Missing credentials for plugin 'todo': the request has no 'Authorization' header; send 'Authorization: Bearer <token>' with a user token, a plugin token or a static token from 'backend.auth.externalAccess'.",
      },
      request: { method: 'GET', url: '/api/todo/whoami' },
      response: { statusCode: 401 },
    });
  });

  it('answers 403 to a static token restricted to another plugin', async () => {
    const server = await startWithRealAuth();
    await request(server)
      .get('/api/todo/whoami')
      .set('Authorization', 'Bearer ci-token-for-todo-only')
      .expect(200);
    const response = await request(server)
      .get('/api/catalog/whoami')
      .set('Authorization', 'Bearer ci-token-for-todo-only');
    expect(response.status).toBe(403);
    expect(response.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        "Static token of 'external:ci' may not call plugin 'catalog'; its accessRestrictions allow only 'todo'. To allow it, add { plugin: 'catalog' } to its accessRestrictions in 'backend.auth.externalAccess'.",
    });
  });
});
