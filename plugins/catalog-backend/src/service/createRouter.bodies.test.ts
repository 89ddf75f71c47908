import {
  coreServices,
  createServiceFactory,
  type HttpRouterService,
} from '@plinth/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@plinth/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRouterTestPlugin } from './createRouterTestPlugin.fixture';

const databases = TestDatabases.create({ ids: ['PGLITE'] });

describe('createRouter', () => {
  it('parses its own JSON bodies where the platform parses none, within backend.http limits', async () => {
    // As Backstage's httpRouter: the plugin's handlers mounted under
    // /api/<pluginId>, no body parser, errors answered by their status.
    const app = express();
    const bareHttpRouter = createServiceFactory({
      service: coreServices.httpRouter,
      deps: { pluginMetadata: coreServices.pluginMetadata },
      factory: ({ pluginMetadata }): HttpRouterService => ({
        use(handler) {
          app.use(`/api/${pluginMetadata.getId()}`, handler);
        },
        addAuthPolicy() {},
        addWebSocketHandler() {
          throw new Error('This test router takes no WebSocket handlers.');
        },
      }),
    });
    const test = createRouterTestPlugin([
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'petstore' },
        spec: { type: 'service' },
      },
    ]);
    await startTestBackend({
      features: [
        test.plugin,
        bareHttpRouter,
        databases.factory('PGLITE'),
        mockServices.rootConfig.factory({
          data: { backend: { http: { jsonBodyLimit: '1kb' } } },
        }),
      ],
    });
    app.use(((error: Error & { statusCode?: number }, _req, res, _next) => {
      res.status(error.statusCode ?? 500).json({ name: error.name });
    }) as express.ErrorRequestHandler);

    const found = await request(app)
      .post('/api/catalog/entities/by-refs')
      .send({ entityRefs: ['component:default/petstore'], fields: ['kind'] })
      .expect(200);
    expect(found.body).toEqual({ items: [{ kind: 'Component' }] });
    await request(app)
      .post('/api/catalog/entities/by-refs')
      .send({ entityRefs: ['x'.repeat(2000)] })
      .expect(413, { name: 'RequestBodyTooLargeError' });
  });
});
