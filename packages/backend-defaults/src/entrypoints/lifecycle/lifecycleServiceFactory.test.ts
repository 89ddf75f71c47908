import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { rootLifecycleServiceFactory } from '../rootLifecycle';
import { lifecycleServiceFactory } from './lifecycleServiceFactory';

describe('lifecycleServiceFactory', () => {
  it("offers startup() and shutdown() for Backstage's engine, which drives a lifecycle through them", async () => {
    let service: unknown;
    await startTestBackend({
      features: [
        rootLifecycleServiceFactory,
        lifecycleServiceFactory,
        createBackendPlugin({
          pluginId: 'todo',
          register(env) {
            env.registerInit({
              deps: { service: coreServices.lifecycle },
              async init(deps) {
                service = deps.service;
              },
            });
          },
        }),
      ],
    });
    for (const method of ['startup', 'shutdown']) {
      expect(typeof (service as Record<string, unknown>)[method]).toBe(
        'function',
      );
    }
  });

  it("runs a plugin's startup hooks at start and its shutdown hooks at stop", async () => {
    const events: string[] = [];
    const backend = await startTestBackend({
      features: [
        rootLifecycleServiceFactory,
        lifecycleServiceFactory,
        hookPlugin({
          startup: () => events.push('startup'),
          shutdown: () => events.push('shutdown'),
        }),
      ],
    });
    expect(events).toEqual(['startup']);
    await backend.stop();
    expect(events).toEqual(['startup', 'shutdown']);
  });

  it('logs a failed startup hook to the plugin logger, naming the hook and the plugin', async () => {
    const logger = MockLoggerService.create();
    await expect(
      startTestBackend({
        features: [
          mockServices.rootLogger.factory({ logger }),
          rootLifecycleServiceFactory,
          lifecycleServiceFactory,
          hookPlugin({
            startup: () => {
              throw new Error('cache offline');
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      "The startup hook 'warm cache' of plugin 'todo' failed.\n    caused by Error: cache offline",
    );
    const line = logger.lines.find(l => l.level === 'error');
    expect(line).toMatchObject({
      message: "The startup hook 'warm cache' of plugin 'todo' failed.",
      fields: { plugin: 'todo' },
      meta: new Error('cache offline'),
    });
  });

  it('logs a failed shutdown hook naming the hook, and still stops', async () => {
    const logger = MockLoggerService.create();
    const backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({ logger }),
        rootLifecycleServiceFactory,
        lifecycleServiceFactory,
        hookPlugin({
          shutdown: () => Promise.reject(new Error('pool busy')),
        }),
      ],
    });
    await expect(backend.stop()).rejects.toThrow(
      "The shutdown hook 'close pool' of plugin 'todo' failed.",
    );
    expect(logger.messages('error')).toContain(
      "The shutdown hook 'close pool' of plugin 'todo' failed.",
    );
  });
});

function hookPlugin(hooks: {
  startup?: () => unknown;
  shutdown?: () => unknown;
}) {
  return createBackendPlugin({
    pluginId: 'todo',
    register(env) {
      env.registerInit({
        deps: { lifecycle: coreServices.lifecycle },
        async init({ lifecycle }) {
          if (hooks.startup) {
            const startup = hooks.startup;
            lifecycle.addStartupHook(
              async () => {
                await startup();
              },
              { name: 'warm cache' },
            );
          }
          if (hooks.shutdown) {
            const shutdown = hooks.shutdown;
            lifecycle.addShutdownHook(
              async () => {
                await shutdown();
              },
              { name: 'close pool' },
            );
          }
        },
      });
    },
  });
}
