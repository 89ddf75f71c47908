import {
  coreServices,
  createBackendPlugin,
  type AuthService,
  type JsonObject,
} from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import {
  authServiceFactory,
  createAuthServiceFactory,
} from './authServiceFactory';

function probe(pluginId: string, seen: Map<string, AuthService>) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { auth: coreServices.auth },
        async init({ auth }) {
          seen.set(pluginId, auth);
        },
      });
    },
  });
}

/** A plugin that uses no auth, to show that auth starts anyway. */
const bystander = createBackendPlugin({
  pluginId: 'bystander',
  register(env) {
    env.registerInit({ deps: {}, async init() {} });
  },
});

function configFactory(auth: JsonObject) {
  return mockServices.rootConfig.factory({
    data: { backend: { listen: { host: '127.0.0.1' }, auth } },
  });
}

describe('authServiceFactory', () => {
  it('gives each plugin its own auth service sharing one set of keys', async () => {
    const seen = new Map<string, AuthService>();
    await startTestBackend({
      features: [
        configFactory({
          keys: [{ secret: 'a-shared-secret-of-32-characters' }],
        }),
        authServiceFactory,
        probe('todo', seen),
        probe('catalog', seen),
      ],
    });
    const todo = seen.get('todo')!;
    const { token } = await todo.getPluginRequestToken({
      onBehalfOf: await todo.getOwnServiceCredentials(),
      targetPluginId: 'catalog',
    });
    await expect(
      seen.get('catalog')!.authenticate(token),
    ).resolves.toMatchObject({
      principal: { type: 'service', subject: 'plugin:todo' },
    });
  });

  it('fails the start on invalid auth config, even in plugins that do not use auth', async () => {
    await expect(
      startTestBackend({
        features: [
          configFactory({
            externalAccess: [{ type: 'static', options: { token: 'x' } }],
          }),
          authServiceFactory,
          bystander,
        ],
      }),
    ).rejects.toThrow(
      "caused by AuthConfigError: Invalid auth config: found 2 problems under 'backend.auth':",
    );
  });

  it('reads config and logs once however many plugins use it', async () => {
    const logger = MockLoggerService.create();
    const onDevelopmentToken = jest.fn();
    await startTestBackend({
      features: [
        configFactory({ developmentToken: true }),
        mockServices.rootLogger.factory({ logger }),
        createAuthServiceFactory({ onDevelopmentToken }),
        probe('todo', new Map()),
        probe('catalog', new Map()),
      ],
    });
    expect(onDevelopmentToken).toHaveBeenCalledTimes(1);
    const logged = logger
      .messages('info')
      .filter(m => m.startsWith('Development token'));
    expect(logged).toHaveLength(1);
    // The installed plugins decide the route the curl example names.
    expect(logged[0]).toMatch(/\/api\/catalog\/entities$/);
  });

  it('warns once however many plugins use it when the development token is off', async () => {
    const logger = MockLoggerService.create();
    const onDevelopmentToken = jest.fn();
    await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: { backend: { auth: { developmentToken: true } } },
        }),
        mockServices.rootLogger.factory({ logger }),
        createAuthServiceFactory({ onDevelopmentToken }),
        probe('todo', new Map()),
        probe('catalog', new Map()),
      ],
    });
    expect(onDevelopmentToken).not.toHaveBeenCalled();
    expect(
      logger
        .messages('warn')
        .filter(m => m.startsWith('The development token')),
    ).toHaveLength(1);
  });
});
