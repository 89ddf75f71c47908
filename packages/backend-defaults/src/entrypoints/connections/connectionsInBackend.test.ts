import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@plinth/backend-plugin-api';
import {
  connectionsServiceRef,
  declareConnection,
  type ConnectionsService,
} from '@plinth/backend-plugin-api/alpha';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { connectionsServiceFactory } from './connectionsServiceFactory';

const config = mockServices.rootConfig.factory({
  data: {
    connections: [
      {
        type: 'github',
        host: 'github.com',
        auth: [{ method: 'token', token: 'ghp_secret' }],
      },
      {
        type: 'gitlab',
        host: 'gitlab.com',
        auth: [{ method: 'none' }],
      },
    ],
  },
});

/** Plugin 'repos' declares GitHub and answers which connection a URL uses. */
const reposPlugin = createBackendPlugin({
  pluginId: 'repos',
  register(env) {
    declareConnection(env, { type: 'github', description: 'Reads repos' });
    env.registerInit({
      deps: {
        connections: connectionsServiceRef,
        httpRouter: coreServices.httpRouter,
      },
      async init({ connections, httpRouter }) {
        const router = express.Router();
        router.get('/connection', async (req, res) => {
          const { type, url } = req.query as { type: 'github'; url: string };
          const found = await connections.find({
            type,
            query: { url },
            authMethods: ['token', 'none'],
          });
          res.json({ title: found.title, method: found.auth.method });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

/** A module of 'repos' declares GitLab for itself only. */
const gitlabTypes: string[] = [];
const reposModuleGitlab = createBackendModule({
  pluginId: 'repos',
  moduleId: 'gitlab',
  register(env) {
    declareConnection(env, { type: 'gitlab', required: true });
    env.registerInit({
      deps: { connections: connectionsServiceRef },
      async init({ connections }) {
        const found = await connections.find({
          type: 'gitlab',
          query: { url: 'https://gitlab.com/group/project' },
        });
        gitlabTypes.push(found.type);
      },
    });
  },
});

describe('connectionsServiceFactory', () => {
  it('gives a plugin the connections it declared, over HTTP, in startTestBackend by default', async () => {
    const { server } = await startTestBackend({
      features: [config, reposPlugin, reposModuleGitlab],
    });
    const response = await request(server)
      .get('/api/repos/connection')
      .query({ type: 'github', url: 'https://github.com/acme/web' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ title: 'GitHub', method: 'token' });
    expect(gitlabTypes).toEqual(['gitlab']);
  });

  it('refuses a type the plugin did not declare, even when its module did', async () => {
    const { server } = await startTestBackend({
      features: [
        config,
        connectionsServiceFactory,
        reposPlugin,
        reposModuleGitlab,
      ],
    });
    const response = await request(server)
      .get('/api/repos/connection')
      .query({ type: 'gitlab', url: 'https://gitlab.com/group/project' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      name: 'InputError',
      message:
        'The plugin \'repos\' looked up connection type "gitlab", which it did not declare. Declare it in register() with declareConnection(env, { type: "gitlab" }).',
    });
  });

  it('honours the connections of a registration in Backstage’s plain-data shape', async () => {
    let found: unknown;
    // What Backstage's createBackendPlugin returns for a plugin that calls
    // declareConnection(env, { type: 'github' }).
    const backstagePlugin = {
      $$type: '@backstage/BackendFeature' as const,
      version: 'v1',
      featureType: 'registrations',
      getRegistrations: () => [
        {
          type: 'plugin-v1.1',
          pluginId: 'bs',
          extensionPoints: [],
          connections: [{ type: 'github' }],
          init: {
            deps: { connections: connectionsServiceRef },
            func: async ({
              connections,
            }: {
              connections: ConnectionsService;
            }) => {
              found = await connections.find({
                type: 'github',
                query: { url: 'https://github.com/a/b' },
              });
            },
          },
        },
      ],
    };
    await startTestBackend({
      features: [config, connectionsServiceFactory, backstagePlugin],
    });
    expect(found).toEqual({
      type: 'github',
      host: 'github.com',
      title: 'GitHub',
      match: undefined,
    });
  });

  it('fails the start of a plugin when the connections config is invalid', async () => {
    const broken = mockServices.rootConfig.factory({
      data: { connections: [{ type: 'github', host: 'github.com', auth: [] }] },
    });
    await expect(
      startTestBackend({
        features: [broken, connectionsServiceFactory, reposPlugin],
      }),
    ).rejects.toThrow(
      "Invalid config at 'connections[0].auth' (connection type 'github'): expected a list of at least one auth entry, got an empty list. Use one of the methods 'none', 'token', 'app'.",
    );
  });
});

describe('declareConnection', () => {
  it('refuses a declaration after registerInit', () => {
    const plugin = createBackendPlugin({
      pluginId: 'late',
      register(env) {
        env.registerInit({ deps: {}, async init() {} });
        declareConnection(env, { type: 'github' });
      },
    });
    expect(() =>
      (plugin as unknown as { getRegistrations(): unknown }).getRegistrations(),
    ).toThrow(
      "The plugin 'late' called declareConnection after registerInit; declare connections first.",
    );
  });

  it('refuses the same type twice', () => {
    const plugin = createBackendPlugin({
      pluginId: 'twice',
      register(env) {
        declareConnection(env, { type: 'github' });
        declareConnection(env, { type: 'github' });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    expect(() =>
      (plugin as unknown as { getRegistrations(): unknown }).getRegistrations(),
    ).toThrow(
      "The plugin 'twice' declared connection type 'github' twice; declare each connection type once.",
    );
  });

  it('refuses an object that is not registration points', () => {
    expect(() => declareConnection({} as never, { type: 'github' })).toThrow(
      'declareConnection() needs the registration points passed to register() of createBackendPlugin or createBackendModule; the object it got has no registerConnection.',
    );
  });
});
