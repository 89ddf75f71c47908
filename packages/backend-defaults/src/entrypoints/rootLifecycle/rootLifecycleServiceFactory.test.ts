import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { lifecycleServiceFactory } from '../lifecycle';
import { rootLifecycleServiceFactory } from './rootLifecycleServiceFactory';

describe('rootLifecycleServiceFactory', () => {
  it("offers startup(), beforeShutdown() and shutdown() for Backstage's engine, which drives a lifecycle through them", async () => {
    let service: unknown;
    await startTestBackend({
      features: [
        rootLifecycleServiceFactory,
        lifecycleServiceFactory,
        createBackendPlugin({
          pluginId: 'todo',
          register(env) {
            env.registerInit({
              deps: { service: coreServices.rootLifecycle },
              async init(deps) {
                service = deps.service;
              },
            });
          },
        }),
      ],
    });
    for (const method of ['startup', 'beforeShutdown', 'shutdown']) {
      expect(typeof (service as Record<string, unknown>)[method]).toBe(
        'function',
      );
    }
  });

  it('runs root startup hooks after plugin ones, and before-shutdown, plugin and root shutdown hooks in order', async () => {
    const events: string[] = [];
    const backend = await startTestBackend({
      features: [
        rootLifecycleServiceFactory,
        lifecycleServiceFactory,
        recordingPlugin(events),
      ],
    });
    expect(events).toEqual(['plugin startup', 'root startup']);
    await backend.stop();
    expect(events).toEqual([
      'plugin startup',
      'root startup',
      'root before-shutdown',
      'plugin shutdown',
      'root shutdown',
    ]);
  });

  it('logs a failed root hook to the root logger, naming the hook and the root', async () => {
    const logger = MockLoggerService.create();
    const backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({ logger }),
        rootLifecycleServiceFactory,
        createBackendPlugin({
          pluginId: 'todo',
          register(env) {
            env.registerInit({
              deps: { root: coreServices.rootLifecycle },
              async init({ root }) {
                root.addBeforeShutdownHook(
                  () => {
                    throw new Error('drain failed');
                  },
                  { name: 'drain requests' },
                );
              },
            });
          },
        }),
      ],
    });
    await expect(backend.stop()).rejects.toThrow(
      "The before-shutdown hook 'drain requests' of the root failed.",
    );
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: "The before-shutdown hook 'drain requests' of the root failed.",
      fields: {},
      meta: new Error('drain failed'),
    });
  });
});

function recordingPlugin(events: string[]) {
  return createBackendPlugin({
    pluginId: 'todo',
    register(env) {
      env.registerInit({
        deps: {
          lifecycle: coreServices.lifecycle,
          root: coreServices.rootLifecycle,
        },
        async init({ lifecycle, root }) {
          lifecycle.addStartupHook(() => {
            events.push('plugin startup');
          });
          lifecycle.addShutdownHook(() => {
            events.push('plugin shutdown');
          });
          root.addStartupHook(() => {
            events.push('root startup');
          });
          root.addBeforeShutdownHook(() => {
            events.push('root before-shutdown');
          });
          root.addShutdownHook(() => {
            events.push('root shutdown');
          });
        },
      });
    },
  });
}
