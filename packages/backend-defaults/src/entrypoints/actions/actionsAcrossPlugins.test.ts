import {
  coreServices,
  createBackendPlugin,
  type BackstageCredentials,
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
import { NotAllowedError } from '@plinth/errors';
import express from 'express';
import request from 'supertest';

/** Plugin 'a' registers actions and records who invoked them. */
const seenCredentials: BackstageCredentials[] = [];
const pluginA = createBackendPlugin({
  pluginId: 'a',
  register(env) {
    env.registerInit({
      deps: { actionsRegistry: actionsRegistryServiceRef },
      async init({ actionsRegistry }) {
        actionsRegistry.register({
          name: 'echo',
          title: 'Echo',
          description: 'Answers the name it gets.',
          attributes: { readOnly: true },
          schema: {
            input: z => z.object({ name: z.string() }),
            output: z => z.object({ name: z.string() }),
          },
          action: async ({ input, credentials }) => {
            seenCredentials.push(credentials);
            return { output: { name: input.name } };
          },
        });
        actionsRegistry.register({
          name: 'login',
          title: 'Log in',
          description: 'Needs a key.',
          schema: {
            input: z => z.object({}),
            output: z => z.object({ keyLength: z.number() }),
            secrets: z => z.object({ key: z.string() }),
          },
          action: async ({ secrets }) => ({
            output: { keyLength: secrets.key.length },
          }),
        });
        actionsRegistry.register({
          name: 'forbidden',
          title: 'Forbidden',
          description: 'Always refuses.',
          schema: { input: z => z.object({}), output: z => z.object({}) },
          action: async () => {
            throw new NotAllowedError('Only admins may do this.');
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
              secrets: body.secrets as JsonObject | undefined,
              credentials,
            }),
          );
        });
        httpRouter.use(router);
      },
    });
  },
});

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      pluginA,
      pluginB,
      mockServices.rootConfig.factory({
        data: { backend: { actions: { pluginSources: ['a'] } } },
      }),
    ],
  });
  return server;
}

const ada = mockCredentials.user.header('user:default/ada');

describe('actions across plugins', () => {
  beforeEach(() => {
    seenCredentials.length = 0;
  });

  it('lists the actions of another plugin with their schemas', async () => {
    const server = await startBackend();
    const response = await request(server)
      .get('/api/b/actions')
      .set('authorization', ada);
    expect(response.status).toBe(200);
    expect(response.body.actions.map((a: { id: string }) => a.id)).toEqual([
      'a:echo',
      'a:login',
      'a:forbidden',
    ]);
    expect(response.body.actions[0]).toMatchObject({
      pluginId: 'a',
      name: 'echo',
      attributes: { readOnly: true, destructive: false, idempotent: false },
      schema: { input: { required: ['name'] } },
    });
  });

  it("invokes another plugin's action with the caller's credentials", async () => {
    const server = await startBackend();
    const response = await request(server)
      .post('/api/b/actions/a:echo')
      .set('authorization', ada)
      .send({ input: { name: 'Ada' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ output: { name: 'Ada' } });
    expect(seenCredentials.map(c => c.principal)).toEqual([
      { type: 'user', userEntityRef: 'user:default/ada' },
    ]);
  });

  it('sends secrets on the v2 route', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post('/api/b/actions/a:login')
      .set('authorization', ada)
      .send({ input: {}, secrets: { key: 'abcd' } });
    expect(response.body).toEqual({ output: { keyLength: 4 } });
  });

  it('answers 400 naming the fields when the input breaks the schema', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post('/api/b/actions/a:echo')
      .set('authorization', ada)
      .send({ input: { name: 3 } });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      name: 'InputError',
      message:
        "Cannot invoke action 'a:echo': plugin 'a' refused with 400: Invalid input to action 'a:echo': 'name': Expected string, received number. Send input that matches the action's input schema.",
    });
  });

  it('answers 404 for an action the plugin does not have', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post('/api/b/actions/a:nope')
      .set('authorization', ada)
      .send({});
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      name: 'NotFoundError',
      message:
        "Cannot invoke action 'a:nope': plugin 'a' refused with 404: Action 'a:nope' not found in plugin 'a'. GET /.backstage/actions/v1/actions lists the actions it serves.",
    });
  });

  it('answers 404 for an action of a plugin that is no action source', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post('/api/b/actions/b:anything')
      .set('authorization', ada)
      .send({});
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe(
      "Action 'b:anything' not found: plugin 'b' is not one of the action sources in 'backend.actions.pluginSources' ('a'). Add it there to use its actions.",
    );
  });

  it('answers 400 for an id without a plugin', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post('/api/b/actions/echo')
      .set('authorization', ada)
      .send({});
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      "Invalid action id 'echo': an action id is '<pluginId>:<name>', such as 'catalog:get-entity'.",
    );
  });

  it('passes on the typed error an action throws, with its status', async () => {
    const server = await startBackend();
    const direct = await request(server)
      .post('/api/a/.backstage/actions/v1/actions/a:forbidden/invoke')
      .set('authorization', ada)
      .send({});
    expect(direct.status).toBe(403);
    expect(direct.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'Only admins may do this.',
    });
    const throughB = await request(server)
      .post('/api/b/actions/a:forbidden')
      .set('authorization', ada)
      .send({});
    expect(throughB.status).toBe(403);
    expect(throughB.body.error.message).toBe(
      "Cannot invoke action 'a:forbidden': plugin 'a' refused with 403: Only admins may do this.",
    );
  });

  it('requires valid credentials on the registry routes', async () => {
    const server = await startBackend();
    const list = await request(server)
      .get('/api/a/.backstage/actions/v1/actions')
      .set('authorization', mockCredentials.user.invalidHeader());
    expect(list.status).toBe(401);
    expect(list.body.error).toMatchObject({
      name: 'AuthenticationError',
      message: 'Invalid mock token.',
    });
    const invoke = await request(server)
      .post('/api/a/.backstage/actions/v1/actions/a:echo/invoke')
      .set('authorization', mockCredentials.user.invalidHeader())
      .send({ name: 'x' });
    expect(invoke.status).toBe(401);
    expect(seenCredentials).toEqual([]);
  });

  it('answers the status route to services only', async () => {
    const server = await startBackend();
    const asService = await request(server)
      .get('/api/a/.backstage/actions/v1/status')
      .set('authorization', mockCredentials.service.header());
    expect(asService.body).toEqual({ hasActions: true });
    const asUser = await request(server)
      .get('/api/a/.backstage/actions/v1/status')
      .set('authorization', ada);
    expect(asUser.status).toBe(403);
  });
});
