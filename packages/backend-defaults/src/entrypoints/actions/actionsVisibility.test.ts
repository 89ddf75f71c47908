import {
  coreServices,
  createBackendPlugin,
  createJsonBodyParser,
  type JsonObject,
} from '@plinth/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  actionsServiceRef,
} from '@plinth/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@plinth/plugin-permission-common';
import type { BackendFeature } from '@plinth/backend-plugin-api';
import express from 'express';
import request from 'supertest';
import { permissionsServiceFactory } from '../permissions';

const secretUse = createPermission({
  name: 'a.actions.secret.use',
  attributes: { action: 'read' },
});

/** Plugin 'a' has one open action and one behind a visibility permission. */
let secretRuns = 0;
const pluginA = createBackendPlugin({
  pluginId: 'a',
  register(env) {
    env.registerInit({
      deps: { actionsRegistry: actionsRegistryServiceRef },
      async init({ actionsRegistry }) {
        actionsRegistry.register({
          name: 'open',
          title: 'Open',
          description: 'Anyone may run it.',
          schema: { input: z => z.object({}), output: z => z.object({}) },
          action: async () => ({ output: {} }),
        });
        actionsRegistry.register({
          name: 'secret',
          title: 'Secret',
          description: 'Only those allowed to see it may run it.',
          visibilityPermission: secretUse,
          schema: {
            input: z => z.object({}),
            output: z => z.object({ ran: z.boolean() }),
          },
          action: async () => {
            secretRuns += 1;
            return { output: { ran: true } };
          },
        });
      },
    });
  },
});

/** Plugin 'b' lists and invokes actions through the actions service. */
const pluginB = createBackendPlugin({
  pluginId: 'b',
  register(env) {
    env.registerInit({
      deps: {
        actions: actionsServiceRef,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({ actions, httpAuth, httpRouter }) {
        const router = express.Router();
        // Plugins parse their own bodies, on Plinth as on Backstage.
        router.use(createJsonBodyParser());
        router.get('/actions', async (req, res) => {
          const credentials = await httpAuth.credentials(req);
          res.json(await actions.list({ credentials }));
        });
        router.post('/actions/:id', async (req, res) => {
          const credentials = await httpAuth.credentials(req);
          const body = (req.body ?? {}) as JsonObject;
          res.json(
            await actions.invoke({
              id: String(req.params.id),
              input: body.input as JsonObject | undefined,
              credentials,
            }),
          );
        });
        httpRouter.use(router);
      },
    });
  },
});

async function startBackend(permissions: BackendFeature) {
  const { server } = await startTestBackend({
    features: [
      pluginA,
      pluginB,
      permissions,
      mockServices.rootConfig.factory({
        data: { backend: { actions: { pluginSources: ['a'] } } },
      }),
    ],
  });
  return server;
}

const ada = mockCredentials.user.header('user:default/ada');
const listPath = '/api/a/.backstage/actions/v1/actions';
const secretInvokePath = '/api/a/.backstage/actions/v1/actions/a:secret/invoke';

function ids(body: { actions: Array<{ id: string }> }): string[] {
  return body.actions.map(action => action.id);
}

describe('actionsRegistryServiceFactory visibility permissions', () => {
  beforeEach(() => {
    secretRuns = 0;
  });

  it('hides an action whose visibility permission is denied from the list', async () => {
    const server = await startBackend(
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    );
    const direct = await request(server)
      .get(listPath)
      .set('authorization', ada);
    expect(direct.status).toBe(200);
    expect(ids(direct.body)).toEqual(['a:open']);
    const throughB = await request(server)
      .get('/api/b/actions')
      .set('authorization', ada);
    expect(ids(throughB.body)).toEqual(['a:open']);
  });

  it('answers an invoke of a denied action as if the action did not exist', async () => {
    const server = await startBackend(
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    );
    const direct = await request(server)
      .post(secretInvokePath)
      .set('authorization', ada)
      .send({});
    expect(direct.status).toBe(404);
    expect(direct.body.error).toEqual(
      expect.objectContaining({
        name: 'NotFoundError',
        message:
          "Action 'a:secret' not found in plugin 'a'. GET /.backstage/actions/v1/actions lists the actions it serves.",
      }),
    );
    const throughB = await request(server)
      .post('/api/b/actions/a:secret')
      .set('authorization', ada)
      .send({ input: {} });
    expect(throughB.status).toBe(404);
    expect(throughB.body.error.message).toBe(
      "Cannot invoke action 'a:secret': plugin 'a' refused with 404: Action 'a:secret' not found in plugin 'a'. GET /.backstage/actions/v1/actions lists the actions it serves.",
    );
    expect(secretRuns).toBe(0);
  });

  it('still serves the actions without a visibility permission when permissions deny', async () => {
    const server = await startBackend(
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    );
    const response = await request(server)
      .post('/api/a/.backstage/actions/v1/actions/a:open/invoke')
      .set('authorization', ada)
      .send({});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ output: {} });
  });

  it('lists and invokes an action whose visibility permission is allowed', async () => {
    const server = await startBackend(
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    );
    const list = await request(server).get(listPath).set('authorization', ada);
    expect(ids(list.body)).toEqual(['a:open', 'a:secret']);
    const invoke = await request(server)
      .post('/api/b/actions/a:secret')
      .set('authorization', ada)
      .send({ input: {} });
    expect(invoke.status).toBe(200);
    expect(invoke.body).toEqual({ output: { ran: true } });
    expect(secretRuns).toBe(1);
  });

  it('allows every action with the default permissions service while permission.enabled is off', async () => {
    const server = await startBackend(permissionsServiceFactory);
    const list = await request(server)
      .get('/api/b/actions')
      .set('authorization', ada);
    expect(ids(list.body)).toEqual(['a:open', 'a:secret']);
    const invoke = await request(server)
      .post(secretInvokePath)
      .set('authorization', ada)
      .send({});
    expect(invoke.status).toBe(200);
    expect(invoke.body).toEqual({ output: { ran: true } });
  });

  it("lists the visibility permission in the plugin's permission metadata", async () => {
    const server = await startBackend(permissionsServiceFactory);
    const response = await request(server)
      .get('/api/a/.well-known/backstage/permissions/metadata')
      .set('authorization', mockCredentials.service.header());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      permissions: [
        {
          type: 'basic',
          name: 'a.actions.secret.use',
          attributes: { action: 'read' },
        },
      ],
      rules: [],
    });
  });
});
