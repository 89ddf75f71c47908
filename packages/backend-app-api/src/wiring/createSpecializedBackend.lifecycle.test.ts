import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createExtensionPoint,
} from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { createSpecializedBackend } from './createSpecializedBackend';

/** A plugin whose init records its start and end, and registers hooks that record too. */
function recordingPlugin(
  pluginId: string,
  events: string[],
  options: { waitFor?: Promise<void>; onInit?: () => void } = {},
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {
          lifecycle: coreServices.lifecycle,
          root: coreServices.rootLifecycle,
        },
        async init({ lifecycle, root }) {
          events.push(`init ${pluginId}`);
          options.onInit?.();
          await options.waitFor;
          lifecycle.addStartupHook(() => {
            events.push(`startup ${pluginId}`);
          });
          lifecycle.addShutdownHook(() => {
            events.push(`shutdown ${pluginId}`);
          });
          root.addStartupHook(() => {
            events.push(`root startup (from ${pluginId})`);
          });
          root.addBeforeShutdownHook(() => {
            events.push(`root before-shutdown (from ${pluginId})`);
          });
          root.addShutdownHook(() => {
            events.push(`root shutdown (from ${pluginId})`);
          });
          events.push(`init done ${pluginId}`);
        },
      });
    },
  });
}

function recordingModule(
  pluginId: string,
  moduleId: string,
  events: string[],
  extensionPoints: {
    provides?: ReturnType<
      typeof createExtensionPoint<{ add(v: string): void }>
    >;
    consumes?: ReturnType<
      typeof createExtensionPoint<{ add(v: string): void }>
    >;
  } = {},
) {
  return createBackendModule({
    pluginId,
    moduleId,
    register(env) {
      const added: string[] = [];
      if (extensionPoints.provides) {
        env.registerExtensionPoint(extensionPoints.provides, {
          add: v => added.push(v),
        });
      }
      env.registerInit({
        deps: extensionPoints.consumes ? { ext: extensionPoints.consumes } : {},
        async init(deps) {
          (deps as { ext?: { add(v: string): void } }).ext?.add(moduleId);
          events.push(
            `init ${moduleId}${added.length ? ` (saw ${added.join(', ')})` : ''}`,
          );
        },
      });
    },
  });
}

/** A backend with mock logging and lifecycles that leaves signals alone. */
function backendWithMocks(logger = MockLoggerService.create()) {
  return createSpecializedBackend({
    defaultServiceFactories: [
      mockServices.rootLogger.factory({ logger }),
      mockServices.logger.factory(),
      mockServices.rootLifecycle.factory(),
      mockServices.lifecycle.factory(),
    ],
    handleSignals: false,
    startupProgressIntervalMs: 5000,
  });
}

describe('createSpecializedBackend', () => {
  describe('lifecycle', () => {
    it('starts modules before their plugin', async () => {
      const events: string[] = [];
      await startTestBackend({
        features: [
          recordingPlugin('catalog', events),
          recordingModule('catalog', 'github', events),
          recordingModule('catalog', 'gitlab', events),
        ],
      });
      expect(events.indexOf('init catalog')).toBeGreaterThan(
        events.indexOf('init github'),
      );
      expect(events.indexOf('init catalog')).toBeGreaterThan(
        events.indexOf('init gitlab'),
      );
    });

    it('starts a module that provides an extension point after the modules that consume it', async () => {
      const events: string[] = [];
      const processors = createExtensionPoint<{ add(v: string): void }>({
        id: 'catalog.extra-processors',
      });
      await startTestBackend({
        features: [
          recordingPlugin('catalog', events),
          recordingModule('catalog', 'registry', events, {
            provides: processors,
          }),
          recordingModule('catalog', 'first', events, { consumes: processors }),
          recordingModule('catalog', 'second', events, {
            consumes: processors,
          }),
        ],
      });
      expect(
        events.filter(e => e.startsWith('init ') && !e.includes('catalog')),
      ).toEqual([
        'init first',
        'init second',
        'init registry (saw first, second)',
      ]);
    });

    it('initialises plugins concurrently so a slow plugin does not delay another', async () => {
      const events: string[] = [];
      let fastInitialised!: () => void;
      const fastDone = new Promise<void>(resolve => {
        fastInitialised = resolve;
      });
      // The slow plugin waits until the fast one has initialised; run one
      // after the other, the start would never finish.
      await startTestBackend({
        features: [
          recordingPlugin('slow', events, { waitFor: fastDone }),
          recordingPlugin('fast', events, { onInit: () => fastInitialised() }),
        ],
      });
      expect(events.slice(0, 2)).toEqual(['init slow', 'init fast']);
      expect(events).toEqual(
        expect.arrayContaining(['init done fast', 'init done slow']),
      );
    });

    it('runs plugin startup hooks after every init, then root startup hooks', async () => {
      const events: string[] = [];
      await startTestBackend({
        features: [recordingPlugin('a', events), recordingPlugin('b', events)],
      });
      expect(events.slice(4)).toEqual([
        'startup a',
        'startup b',
        'root startup (from a)',
        'root startup (from b)',
      ]);
    });

    it('runs before-shutdown, plugin shutdown and root shutdown hooks in that order on stop', async () => {
      const events: string[] = [];
      const backend = await startTestBackend({
        features: [recordingPlugin('a', events), recordingPlugin('b', events)],
      });
      events.length = 0;
      await backend.stop();
      expect(events).toEqual([
        'root before-shutdown (from a)',
        'root before-shutdown (from b)',
        'shutdown a',
        'shutdown b',
        'root shutdown (from a)',
        'root shutdown (from b)',
      ]);
    });

    it('runs shutdown hooks once however often stop is called', async () => {
      const events: string[] = [];
      const backend = await startTestBackend({
        features: [recordingPlugin('a', events)],
      });
      await Promise.all([backend.stop(), backend.stop()]);
      await backend.stop();
      expect(events.filter(e => e === 'shutdown a')).toHaveLength(1);
    });

    it('stops without error when it was never started', async () => {
      const backend = backendWithMocks();
      await expect(backend.stop()).resolves.toBeUndefined();
    });

    it('refuses features added after start', async () => {
      const backend = backendWithMocks();
      await backend.start();
      expect(() => backend.add(recordingPlugin('late', []))).toThrow(
        'backend.add() was called after backend.start(); add every feature before starting the backend.',
      );
      await backend.stop();
    });

    it('refuses a second start', async () => {
      const backend = backendWithMocks();
      await backend.start();
      await expect(backend.start()).rejects.toThrow(
        'backend.start() was called twice; start a backend once, or create another one.',
      );
      await backend.stop();
    });

    it('refuses a start after stop', async () => {
      const backend = backendWithMocks();
      await backend.stop();
      await expect(backend.start()).rejects.toThrow(
        'backend.start() was called after backend.stop(); create a new backend to start again.',
      );
    });

    it('lets a stop during start end the start after its current step, then run the shutdown hooks', async () => {
      const events: string[] = [];
      let release!: () => void;
      const slow = new Promise<void>(resolve => {
        release = resolve;
      });
      let entered!: () => void;
      const inInit = new Promise<void>(resolve => {
        entered = resolve;
      });
      const backend = backendWithMocks();
      backend.add(
        recordingPlugin('slow', events, {
          waitFor: slow,
          onInit: () => entered(),
        }),
      );
      const started = backend.start();
      await inInit;
      const stopped = backend.stop();
      release();
      await expect(started).rejects.toThrow(
        'The backend was stopped while it was starting.',
      );
      await expect(started).rejects.toMatchObject({
        name: 'BackendStateError',
        code: 'BACKEND_STOPPED_WHILE_STARTING',
      });
      await stopped;
      expect(events).toEqual([
        'init slow',
        'init done slow',
        'root before-shutdown (from slow)',
        'shutdown slow',
        'root shutdown (from slow)',
      ]);
    });

    it('names the plugins still initialising in a progress log line', async () => {
      jest.useFakeTimers();
      try {
        const logger = MockLoggerService.create();
        const gate = () => {
          let open!: () => void;
          const opened = new Promise<void>(resolve => {
            open = resolve;
          });
          return { open, opened };
        };
        const db = gate();
        const search = gate();
        const backend = backendWithMocks(logger);
        backend.add(recordingPlugin('db-sync', [], { waitFor: db.opened }));
        backend.add(recordingPlugin('search', [], { waitFor: search.opened }));
        backend.add(recordingPlugin('quick', []));
        const started = backend.start();
        await jest.advanceTimersByTimeAsync(5_000);
        db.open();
        await jest.advanceTimersByTimeAsync(5_000);
        const hint =
          'A plugin that stays in this list is waiting on something in its init or in a service it uses.';
        expect(logger.messages('warn')).toEqual([
          `Still initializing after 5s: plugins 'db-sync', 'search'. ${hint}`,
          `Still initializing after 10s: plugin 'search'. ${hint}`,
        ]);
        search.open();
        await started;
        await backend.stop();
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('boot failure policy', () => {
    const failingPlugin = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: {},
            async init() {
              throw new Error(`${pluginId} cannot start`);
            },
          });
        },
      });
    const failingModule = (pluginId: string, moduleId: string) =>
      createBackendModule({
        pluginId,
        moduleId,
        register(env) {
          env.registerInit({
            deps: {},
            async init() {
              throw new Error(`${moduleId} cannot start`);
            },
          });
        },
      });

    it('aborts the start and lists every failed plugin and module with its cause', async () => {
      const events: string[] = [];
      const started = startTestBackend({
        features: [
          failingPlugin('a'),
          recordingPlugin('b', events),
          failingModule('b', 'broken'),
          recordingPlugin('c', events),
        ],
      });
      await expect(started).rejects.toThrow(
        new Error(
          [
            'Backend failed to start:',
            "  - Plugin 'a' failed to start.",
            '    caused by Error: a cannot start',
            "  - Module 'broken' for plugin 'b' failed to start.",
            '    caused by Error: broken cannot start',
            "Fix the causes above, or let the backend start without a failed plugin or module by setting its policy to 'continue' (backend.startup.plugins.<pluginId>.onPluginBootFailure, or .modules.<moduleId>.onPluginModuleBootFailure).",
          ].join('\n'),
        ),
      );
      await expect(started).rejects.toMatchObject({
        name: 'BackendStartupError',
        failures: [
          { code: 'FEATURE_STARTUP_FAILED', feature: "plugin 'a'" },
          {
            code: 'FEATURE_STARTUP_FAILED',
            feature: "module 'broken' for plugin 'b'",
          },
        ],
      });
      expect(events).not.toContain('init b');
      expect(events).toContain('shutdown c');
      expect(events).not.toContain('startup c');
    });

    it('starts without a plugin whose policy is continue, and logs why', async () => {
      const logger = MockLoggerService.create();
      const events: string[] = [];
      await startTestBackend({
        features: [
          mockServices.rootLogger.factory({ logger }),
          mockServices.rootConfig.factory({
            data: {
              backend: {
                startup: {
                  plugins: { a: { onPluginBootFailure: 'continue' } },
                },
              },
            },
          }),
          failingPlugin('a'),
          recordingPlugin('b', events),
        ],
      });
      expect(events).toContain('startup b');
      expect(logger.lines.filter(l => l.level === 'error')).toEqual([
        expect.objectContaining({
          message:
            "Plugin 'a' failed to start. The backend starts without it because its boot failure policy is 'continue'.",
          fields: { plugin: 'a' },
        }),
      ]);
    });

    it('applies a per-module policy over the default', async () => {
      const events: string[] = [];
      await startTestBackend({
        features: [
          mockServices.rootConfig.factory({
            data: {
              backend: {
                startup: {
                  default: { onPluginModuleBootFailure: 'abort' },
                  plugins: {
                    b: {
                      modules: {
                        optional: { onPluginModuleBootFailure: 'continue' },
                      },
                    },
                  },
                },
              },
            },
          }),
          recordingPlugin('b', events),
          failingModule('b', 'optional'),
        ],
      });
      expect(events).toContain('init b');
    });

    it('applies the default policy to every plugin', async () => {
      await expect(
        startTestBackend({
          features: [
            mockServices.rootConfig.factory({
              data: {
                backend: {
                  startup: { default: { onPluginBootFailure: 'continue' } },
                },
              },
            }),
            failingPlugin('a'),
          ],
        }),
      ).resolves.toBeDefined();
    });

    it('fails a module that its plugin reports through the extension point context', async () => {
      const validators = createExtensionPoint<{ add(rule: string): void }>({
        id: 'todo.validators',
      });
      const plugin = createBackendPlugin({
        pluginId: 'todo',
        register(env) {
          const reports: Array<(error: Error) => void> = [];
          env.registerExtensionPoint({
            extensionPoint: validators,
            factory: context => ({
              add(rule) {
                if (rule === 'bad') {
                  reports.push(error =>
                    context.reportModuleStartupFailure({ error }),
                  );
                }
              },
            }),
          });
          env.registerInit({
            deps: {},
            async init() {
              reports.forEach(report =>
                report(new Error("rule 'bad' does not compile")),
              );
            },
          });
        },
      });
      const module = createBackendModule({
        pluginId: 'todo',
        moduleId: 'rules',
        register(env) {
          env.registerInit({
            deps: { validators },
            async init({ validators: v }) {
              v.add('bad');
            },
          });
        },
      });
      await expect(
        startTestBackend({ features: [plugin, module] }),
      ).rejects.toThrow(
        [
          'Backend failed to start:',
          "  - Module 'rules' for plugin 'todo' failed to start.",
          "    caused by Error: rule 'bad' does not compile",
        ].join('\n'),
      );
    });

    it('fails the start when a startup hook throws, naming the hook and its plugin', async () => {
      const plugin = createBackendPlugin({
        pluginId: 'todo',
        register(env) {
          env.registerInit({
            deps: { lifecycle: coreServices.lifecycle },
            async init({ lifecycle }) {
              lifecycle.addStartupHook(
                () => {
                  throw new Error('warm-up query failed');
                },
                { name: 'warm cache' },
              );
            },
          });
        },
      });
      const started = startTestBackend({ features: [plugin] });
      await expect(started).rejects.toThrow(
        [
          'Backend failed to start:',
          "  - The startup hook 'warm cache' of plugin 'todo' failed.",
          '    caused by Error: warm-up query failed',
        ].join('\n'),
      );
      await expect(started).rejects.toMatchObject({
        failures: [{ name: 'LifecycleError', code: 'LIFECYCLE_HOOK_FAILED' }],
      });
    });
  });

  describe('stop failures', () => {
    it('runs every shutdown hook and reports the ones that failed', async () => {
      const events: string[] = [];
      const plugin = createBackendPlugin({
        pluginId: 'todo',
        register(env) {
          env.registerInit({
            deps: {
              lifecycle: coreServices.lifecycle,
              root: coreServices.rootLifecycle,
            },
            async init({ lifecycle, root }) {
              lifecycle.addShutdownHook(
                () => {
                  throw new Error('flush timed out');
                },
                { name: 'flush queue' },
              );
              lifecycle.addShutdownHook(() => {
                events.push('plugin hook ran');
              });
              root.addShutdownHook(() => {
                events.push('root hook ran');
              });
            },
          });
        },
      });
      const backend = await startTestBackend({ features: [plugin] });
      const stopped = backend.stop();
      await expect(stopped).rejects.toThrow(
        [
          'Backend stopped with errors:',
          "  - The shutdown hook 'flush queue' of plugin 'todo' failed.",
          '    caused by Error: flush timed out',
        ].join('\n'),
      );
      await expect(stopped).rejects.toMatchObject({
        name: 'BackendShutdownError',
        failures: [{ code: 'LIFECYCLE_HOOK_FAILED' }],
      });
      expect(events).toEqual(['plugin hook ran', 'root hook ran']);
    });
  });
});
