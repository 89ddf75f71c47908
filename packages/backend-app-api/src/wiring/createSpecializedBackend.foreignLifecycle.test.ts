import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type LifecycleServiceHook,
} from '@plinth/backend-plugin-api';
import { startTestBackend } from '@plinth/backend-test-utils';
import { createSpecializedBackend } from './createSpecializedBackend';

type Phase = 'startup' | 'beforeShutdown' | 'shutdown';

/**
 * A lifecycle service written to Backstage's contract, not built on
 * LifecycleHooks: each phase method resolves to nothing once its hooks ran,
 * and rejects when the implementation itself fails (`failIn`).
 */
class BackstageShapedLifecycle {
  readonly #hooks: Record<Phase, LifecycleServiceHook[]> = {
    startup: [],
    beforeShutdown: [],
    shutdown: [],
  };

  constructor(private readonly failIn?: Phase) {}

  addStartupHook(hook: LifecycleServiceHook) {
    this.#hooks.startup.push(hook);
  }
  addBeforeShutdownHook(hook: LifecycleServiceHook) {
    this.#hooks.beforeShutdown.push(hook);
  }
  addShutdownHook(hook: LifecycleServiceHook) {
    this.#hooks.shutdown.push(hook);
  }
  startup(): Promise<void> {
    return this.#run('startup');
  }
  beforeShutdown(): Promise<void> {
    return this.#run('beforeShutdown');
  }
  shutdown(): Promise<void> {
    return this.#run('shutdown');
  }

  async #run(phase: Phase): Promise<void> {
    await Promise.all(this.#hooks[phase].map(async hook => hook()));
    if (this.failIn === phase) {
      throw new Error(`${phase} tasks failed`);
    }
  }
}

const rootLifecycle = (failIn?: Phase) =>
  createServiceFactory({
    service: coreServices.rootLifecycle,
    deps: {},
    factory: () => new BackstageShapedLifecycle(failIn),
  });

const pluginLifecycle = (failIn?: Phase) =>
  createServiceFactory({
    service: coreServices.lifecycle,
    deps: {},
    factory: () => new BackstageShapedLifecycle(failIn),
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

describe('createSpecializedBackend', () => {
  describe("lifecycle services written to Backstage's contract", () => {
    it('runs their phases in order: plugin then root startup, then before-shutdown, plugin and root shutdown', async () => {
      const events: string[] = [];
      const backend = await startTestBackend({
        features: [rootLifecycle(), pluginLifecycle(), recordingPlugin(events)],
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

    it('fails the start when the root startup() rejects, naming the service and the root', async () => {
      const started = startTestBackend({
        features: [
          rootLifecycle('startup'),
          pluginLifecycle(),
          recordingPlugin([]),
        ],
      });
      await expect(started).rejects.toThrow(
        [
          'Backend failed to start:',
          "  - Service 'core.rootLifecycle' failed to run the startup hooks of the root.",
          '    caused by Error: startup tasks failed',
          'Fix the causes above.',
        ].join('\n'),
      );
      await expect(started).rejects.toMatchObject({
        name: 'BackendStartupError',
        failures: [{ name: 'LifecycleError', code: 'LIFECYCLE_PHASE_FAILED' }],
      });
    });

    it('fails the start when a plugin startup() rejects, naming the plugin', async () => {
      await expect(
        startTestBackend({
          features: [
            rootLifecycle(),
            pluginLifecycle('startup'),
            recordingPlugin([]),
          ],
        }),
      ).rejects.toThrow(
        "  - Service 'core.lifecycle' failed to run the startup hooks of plugin 'todo'.\n    caused by Error: startup tasks failed",
      );
    });

    it('reports a rejected plugin shutdown() and still runs the root shutdown', async () => {
      const events: string[] = [];
      const backend = await startTestBackend({
        features: [
          rootLifecycle(),
          pluginLifecycle('shutdown'),
          recordingPlugin(events),
        ],
      });
      await expect(backend.stop()).rejects.toThrow(
        [
          'Backend stopped with errors:',
          "  - Service 'core.lifecycle' failed to run the shutdown hooks of plugin 'todo'.",
          '    caused by Error: shutdown tasks failed',
          'Every other hook ran; fix the ones above so that resources close cleanly.',
        ].join('\n'),
      );
      expect(events.slice(2)).toEqual([
        'root before-shutdown',
        'plugin shutdown',
        'root shutdown',
      ]);
    });

    it('reports a rejected root beforeShutdown() and still shuts plugins and the root down', async () => {
      const events: string[] = [];
      const backend = await startTestBackend({
        features: [
          rootLifecycle('beforeShutdown'),
          pluginLifecycle(),
          recordingPlugin(events),
        ],
      });
      await expect(backend.stop()).rejects.toThrow(
        "  - Service 'core.rootLifecycle' failed to run the before-shutdown hooks of the root.\n    caused by Error: beforeShutdown tasks failed",
      );
      expect(events.slice(3)).toEqual(['plugin shutdown', 'root shutdown']);
    });
  });

  describe('lifecycle services the backend cannot drive', () => {
    const usingRoot = createBackendPlugin({
      pluginId: 'todo',
      register(env) {
        env.registerInit({
          deps: { root: coreServices.rootLifecycle },
          async init() {},
        });
      },
    });

    it.each<[string, () => unknown, string]>([
      [
        'an object without the phase methods',
        () => ({ addStartupHook() {}, addShutdownHook() {} }),
        'has no startup() method',
      ],
      ['null', () => null, 'is null'],
    ])(
      'names the service and what it must offer when the root lifecycle is %s',
      async (_name, make, what) => {
        // A bare backend: the test backend's other root services would
        // trip over this lifecycle first.
        const backend = createSpecializedBackend({
          defaultServiceFactories: [
            createServiceFactory({
              service: coreServices.rootLifecycle,
              deps: {},
              factory: make as never,
            }),
          ],
          handleSignals: false,
        });
        backend.add(usingRoot);
        const started = backend.start();
        await expect(started).rejects.toThrow(
          `  - Service 'core.rootLifecycle' of the root ${what}, so the backend cannot run its hooks. A lifecycle implementation must offer startup(), beforeShutdown() and shutdown(), each returning a promise that settles once the hooks ran, as LifecycleHooks from '@plinth/backend-app-api' and Backstage's lifecycle services do.`,
        );
        await expect(started).rejects.toMatchObject({
          failures: [{ code: 'LIFECYCLE_WITHOUT_RUNNER' }],
        });
      },
    );
  });
});
