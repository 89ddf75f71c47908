import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';

/** A plugin that hands the instances of `deps` to `onInit`. */
function pluginUsing<TDeps extends Record<string, ServiceRef<unknown>>>(
  pluginId: string,
  deps: TDeps,
  onInit: (pluginId: string, resolved: Record<string, unknown>) => void,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps,
        async init(resolved) {
          onInit(pluginId, resolved);
        },
      });
    },
  });
}

describe('createSpecializedBackend', () => {
  describe('services', () => {
    it('creates a root service once and shares it between plugins', async () => {
      const ref = createServiceRef<object>({
        id: 'test.shared',
        scope: 'root',
      });
      const factory = jest.fn(() => ({}));
      const seen: unknown[] = [];
      await startTestBackend({
        features: [
          createServiceFactory({ service: ref, deps: {}, factory }),
          pluginUsing('a', { shared: ref }, (_, d) => seen.push(d.shared)),
          pluginUsing('b', { shared: ref }, (_, d) => seen.push(d.shared)),
        ],
      });
      expect(factory).toHaveBeenCalledTimes(1);
      expect(seen[0]).toBe(seen[1]);
    });

    it('creates a plugin service once per plugin with one root context per factory', async () => {
      const ref = createServiceRef<{ pluginId: string; context: object }>({
        id: 'test.scoped',
      });
      const createRootContext = jest.fn(() => ({}));
      const seen = new Map<string, { pluginId: string; context: object }>();
      await startTestBackend({
        features: [
          createServiceFactory({
            service: ref,
            deps: { metadata: coreServices.pluginMetadata },
            createRootContext,
            factory: ({ metadata }, context) => ({
              pluginId: metadata.getId(),
              context,
            }),
          }),
          pluginUsing('a', { scoped: ref }, (id, d) =>
            seen.set(id, d.scoped as never),
          ),
          pluginUsing('b', { scoped: ref }, (id, d) =>
            seen.set(id, d.scoped as never),
          ),
        ],
      });
      expect(createRootContext).toHaveBeenCalledTimes(1);
      expect(seen.get('a')!.pluginId).toBe('a');
      expect(seen.get('b')!.pluginId).toBe('b');
      expect(seen.get('a')!.context).toBe(seen.get('b')!.context);
    });

    it('gives a module the same plugin-scoped instances as its plugin', async () => {
      const ref = createServiceRef<object>({ id: 'test.scoped' });
      const seen: unknown[] = [];
      await startTestBackend({
        features: [
          createServiceFactory({ service: ref, deps: {}, factory: () => ({}) }),
          pluginUsing('a', { scoped: ref }, (_, d) => seen.push(d.scoped)),
          createBackendModule({
            pluginId: 'a',
            moduleId: 'extra',
            register(env) {
              env.registerInit({
                deps: { scoped: ref },
                async init({ scoped }) {
                  seen.push(scoped);
                },
              });
            },
          }),
        ],
      });
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe(seen[1]);
    });

    it('collects every factory of a multiton service into an array', async () => {
      const ref = createServiceRef<string>({ id: 'test.many', multiton: true });
      let received: unknown;
      await startTestBackend({
        features: [
          createServiceFactory({
            service: ref,
            deps: {},
            factory: () => 'one',
          }),
          createServiceFactory({
            service: ref,
            deps: {},
            factory: () => 'two',
          }),
          pluginUsing('a', { many: ref }, (_, d) => {
            received = d.many;
          }),
        ],
      });
      expect(received).toEqual(['one', 'two']);
    });

    it('hands an empty array to a user of a multiton service that nothing provides', async () => {
      const ref = createServiceRef<string>({ id: 'test.none', multiton: true });
      let received: unknown;
      await startTestBackend({
        features: [
          pluginUsing('a', { none: ref }, (_, d) => {
            received = d.none;
          }),
        ],
      });
      expect(received).toEqual([]);
    });

    it('creates lazy services only when used and eager services always', async () => {
      const lazyRoot = jest.fn(() => 'lazy');
      const eagerRoot = jest.fn(() => 'eager');
      const lazyPlugin = jest.fn(() => 'lazy');
      const alwaysPlugin = jest.fn(() => 'always');
      await startTestBackend({
        features: [
          createServiceFactory({
            service: createServiceRef<string>({
              id: 'test.lazy-root',
              scope: 'root',
            }),
            deps: {},
            initialization: 'lazy',
            factory: lazyRoot,
          }),
          createServiceFactory({
            service: createServiceRef<string>({
              id: 'test.eager-root',
              scope: 'root',
            }),
            deps: {},
            factory: eagerRoot,
          }),
          createServiceFactory({
            service: createServiceRef<string>({ id: 'test.lazy-plugin' }),
            deps: {},
            factory: lazyPlugin,
          }),
          createServiceFactory({
            service: createServiceRef<string>({ id: 'test.always-plugin' }),
            deps: {},
            initialization: 'always',
            factory: alwaysPlugin,
          }),
          pluginUsing('a', {}, () => {}),
          pluginUsing('b', {}, () => {}),
        ],
      });
      expect(lazyRoot).not.toHaveBeenCalled();
      expect(eagerRoot).toHaveBeenCalledTimes(1);
      expect(lazyPlugin).not.toHaveBeenCalled();
      expect(alwaysPlugin).toHaveBeenCalledTimes(2);
    });

    it("uses a ref's default factory when nothing else provides the service", async () => {
      const ref = createServiceRef<string>({
        id: 'test.with-default',
        defaultFactory: async service =>
          createServiceFactory({
            service,
            deps: {},
            factory: () => 'from default',
          }),
      });
      let received: unknown;
      await startTestBackend({
        features: [
          pluginUsing('a', { value: ref }, (_, d) => (received = d.value)),
        ],
      });
      expect(received).toBe('from default');
    });

    it('lets an added factory replace both backend and ref defaults', async () => {
      const ref = createServiceRef<string>({
        id: 'test.with-default',
        defaultFactory: async service =>
          createServiceFactory({
            service,
            deps: {},
            factory: () => 'from default',
          }),
      });
      const config = mockServices.rootConfig({
        data: { app: { title: 'replaced' } },
      });
      const seen: Record<string, unknown> = {};
      await startTestBackend({
        features: [
          createServiceFactory({
            service: ref,
            deps: {},
            factory: () => 'added',
          }),
          createServiceFactory({
            service: coreServices.rootConfig,
            deps: {},
            factory: () => config,
          }),
          pluginUsing(
            'a',
            { value: ref, config: coreServices.rootConfig },
            (_, d) => Object.assign(seen, d),
          ),
        ],
      });
      expect(seen.value).toBe('added');
      expect(seen.config).toBe(config);
    });

    it('tells each plugin its id through pluginMetadata', async () => {
      const ids: string[] = [];
      await startTestBackend({
        features: [
          pluginUsing(
            'alpha',
            { metadata: coreServices.pluginMetadata },
            (_, d) => ids.push((d.metadata as { getId(): string }).getId()),
          ),
        ],
      });
      expect(ids).toEqual(['alpha']);
    });

    it('lists installed plugins and modules in rootInstanceMetadata', async () => {
      let installed: unknown;
      await startTestBackend({
        features: [
          pluginUsing(
            'catalog',
            { meta: coreServices.rootInstanceMetadata },
            (_, d) => {
              installed = d.meta;
            },
          ),
          pluginUsing('search', {}, () => {}),
          createBackendModule({
            pluginId: 'catalog',
            moduleId: 'codeowners',
            register(env) {
              env.registerInit({ deps: {}, async init() {} });
            },
          }),
        ],
      });
      await expect(
        (
          installed as { getInstalledPlugins(): Promise<unknown> }
        ).getInstalledPlugins(),
      ).resolves.toEqual([
        { pluginId: 'catalog', modules: [{ moduleId: 'codeowners' }] },
        { pluginId: 'search', modules: [] },
      ]);
    });

    it('names the service, the plugin and the cause when a factory throws', async () => {
      const ref = createServiceRef<string>({ id: 'test.broken' });
      await expect(
        startTestBackend({
          features: [
            createServiceFactory({
              service: ref,
              deps: {},
              factory: () => {
                throw new Error('connection refused');
              },
            }),
            pluginUsing('a', { broken: ref }, () => {}),
          ],
        }),
      ).rejects.toThrow(
        [
          'Backend failed to start:',
          "  - Plugin 'a' failed to start.",
          "    caused by ServiceFactoryError: Service 'test.broken' could not be created for plugin 'a'.",
          '    caused by Error: connection refused',
        ].join('\n'),
      );
    });

    it('fails the start when an eager root service cannot be created', async () => {
      await expect(
        startTestBackend({
          features: [
            createServiceFactory({
              service: createServiceRef<string>({
                id: 'test.root',
                scope: 'root',
              }),
              deps: {},
              factory: () => {
                throw new Error('port 7007 is in use');
              },
            }),
          ],
        }),
      ).rejects.toThrow(
        [
          'Backend failed to start:',
          "  - Service 'test.root' could not be created.",
          '    caused by Error: port 7007 is in use',
        ].join('\n'),
      );
    });
  });

  it('shuts down the root services that were still being created when another failed', async () => {
    const closed = jest.fn();
    const slowRef = createServiceRef<string>({
      id: 'test.slow',
      scope: 'root',
    });
    await expect(
      startTestBackend({
        features: [
          createServiceFactory({
            service: slowRef,
            deps: { lifecycle: coreServices.rootLifecycle },
            factory: async ({ lifecycle }) => {
              await new Promise(r => setTimeout(r, 20));
              lifecycle.addShutdownHook(closed);
              return 'slow';
            },
          }),
          createServiceFactory({
            service: createServiceRef<string>({
              id: 'test.bad',
              scope: 'root',
            }),
            deps: {},
            factory: () => {
              throw new Error('no');
            },
          }),
        ],
      }),
    ).rejects.toThrow("Service 'test.bad' could not be created.");
    expect(closed).toHaveBeenCalledTimes(1);
  });

  describe('config problems', () => {
    it('reports a config service that cannot read the boot failure policy once, with its cause', async () => {
      await expect(
        startTestBackend({
          features: [
            createServiceFactory({
              service: coreServices.rootConfig,
              deps: {},
              factory: () => ({}) as never,
            }),
            pluginUsing('a', {}, () => {}),
          ],
        }),
      ).rejects.toThrow(
        [
          'Backend cannot start: found 1 problem before initializing any plugin:',
          "  - Service 'core.rootConfig' failed to read 'backend.startup.default.onPluginBootFailure'.",
          '    caused by TypeError: source?.getOptional is not a function',
        ].join('\n'),
      );
    });
  });
});
