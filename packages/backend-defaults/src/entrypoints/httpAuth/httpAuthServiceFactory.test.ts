import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type HttpAuthService,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { authServiceFactory } from '../auth/authServiceFactory';
import { httpAuthServiceFactory } from './httpAuthServiceFactory';

const discoveryStub = createServiceFactory({
  service: coreServices.discovery,
  deps: {},
  factory: () => ({
    getBaseUrl: async (pluginId: string) =>
      `http://localhost:7007/api/${pluginId}`,
    getExternalBaseUrl: async (pluginId: string) =>
      `http://localhost:7007/api/${pluginId}`,
  }),
});

describe('httpAuthServiceFactory', () => {
  it('authenticates requests to a plugin with the backend auth service', async () => {
    let httpAuth: HttpAuthService | undefined;
    await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: 'ci-token-1', subject: 'ci' },
                    accessRestrictions: [{ plugin: 'catalog' }],
                  },
                ],
              },
            },
          },
        }),
        authServiceFactory,
        httpAuthServiceFactory,
        discoveryStub,
        createBackendPlugin({
          pluginId: 'catalog',
          register(env) {
            env.registerInit({
              deps: { httpAuth: coreServices.httpAuth },
              async init(deps) {
                httpAuth = deps.httpAuth;
              },
            });
          },
        }),
      ],
    });
    const app = express();
    app.get('/whoami', async (req, res) => {
      res.json(await httpAuth!.credentials(req, { allow: ['service'] }));
    });
    const response = await request(app)
      .get('/whoami')
      .set('Authorization', 'Bearer ci-token-1');
    expect(response.body).toEqual({
      $$type: '@backstage/BackstageCredentials',
      principal: {
        type: 'service',
        subject: 'external:ci',
        accessRestrictions: { pluginIds: ['catalog'] },
      },
    });
  });
});
