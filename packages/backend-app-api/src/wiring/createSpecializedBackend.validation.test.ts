import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
  createBackendPlugin,
  createExtensionPoint,
  createServiceFactory,
  createServiceRef,
  type BackendFeature,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import type { BackendValidationError, WiringErrorCode } from '../errors';
import { createSpecializedBackend } from './createSpecializedBackend';

/** How a feature's origin appears in messages. */
const origin = (feature: BackendFeature) =>
  `created at ${(feature as unknown as { description: string }).description}`;

const header = (count: number) =>
  `Backend cannot start: found ${count === 1 ? '1 problem' : `${count} problems`} before initializing any plugin:`;
const oneProblem = (message: string) => `${header(1)}\n  - ${message}`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const plugin = (pluginId: string, deps: Record<string, unknown> = {}) =>
  createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({ deps: deps as never, async init() {} });
    },
  });

const moduleOf = (
  pluginId: string,
  moduleId: string,
  options: {
    deps?: Record<string, unknown>;
    provides?: ReturnType<typeof createExtensionPoint>;
  } = {},
) =>
  createBackendModule({
    pluginId,
    moduleId,
    register(env) {
      if (options.provides) {
        env.registerExtensionPoint(options.provides, {});
      }
      env.registerInit({
        deps: (options.deps ?? {}) as never,
        async init() {},
      });
    },
  });

const fooExtensionPoint = createExtensionPoint<object>({ id: 'foo.things' });
const barExtensionPoint = createExtensionPoint<object>({ id: 'bar.things' });

describe('createSpecializedBackend', () => {
  describe('validation', () => {
    describe('rejects invalid options when a feature is created', () => {
      it.each<[string, () => unknown, string | RegExp]>([
        [
          'a plugin id with an underscore',
          () => plugin('My_Plugin'),
          "createBackendPlugin() got an invalid plugin id 'My_Plugin': use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.",
        ],
        [
          'a module id that starts with a dash',
          () => moduleOf('catalog', '-x'),
          "createBackendModule() got an invalid module id '-x': use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.",
        ],
        [
          'a plugin without a register function',
          () => createBackendPlugin({ pluginId: 'todo' } as never),
          "createBackendPlugin() for plugin 'todo' needs a register function, got undefined.",
        ],
        [
          'a service ref id with an empty segment',
          () => createServiceRef({ id: 'core..x' }),
          "createServiceRef() got an invalid service ref id 'core..x': use dot-separated words of letters, digits and single dashes, each starting with a letter, such as 'example.processing'.",
        ],
        [
          'a service ref with an unknown scope',
          () =>
            createServiceRef({ id: 'todo.store', scope: 'global' as never }),
          "createServiceRef() got an invalid scope the string 'global' for service ref 'todo.store': use 'root' or 'plugin'.",
        ],
        [
          'an extension point id that starts with a digit',
          () => createExtensionPoint({ id: '1abc' }),
          "createExtensionPoint() got an invalid extension point id '1abc': use dot-separated words of letters, digits and single dashes, each starting with a letter, such as 'example.processing'.",
        ],
        [
          'a root service factory that depends on a plugin service',
          () =>
            createServiceFactory({
              service: createServiceRef<string>({
                id: 'root.thing',
                scope: 'root',
              }),
              deps: { logger: coreServices.logger as never },
              factory: () => 'x',
            }),
          "createServiceFactory() for service 'root.thing' depends on plugin-scoped service 'core.logger' (deps.logger); a root-scoped service may only depend on root-scoped services.",
        ],
        [
          'a root service factory with createRootContext',
          () =>
            createServiceFactory({
              service: createServiceRef<string>({
                id: 'root.thing',
                scope: 'root',
              }),
              deps: {},
              createRootContext: () => 1,
              factory: () => 'x',
            } as never),
          "createServiceFactory() for service 'root.thing' has createRootContext, but the service is root-scoped; put shared setup in its factory instead.",
        ],
        [
          'an unknown initialization',
          () =>
            createServiceFactory({
              service: createServiceRef<string>({ id: 'todo.store' }),
              deps: {},
              initialization: 'eager' as never,
              factory: () => 'x',
            }),
          "createServiceFactory() for service 'todo.store' got an invalid initialization the string 'eager': use 'always' or 'lazy'.",
        ],
        [
          'a service factory that depends on an extension point',
          () =>
            createServiceFactory({
              service: createServiceRef<string>({ id: 'todo.store' }),
              deps: { things: fooExtensionPoint as never },
              factory: () => 'x',
            }),
          "createServiceFactory() for service 'todo.store' lists deps.things as an object; service factories may only depend on service refs.",
        ],
        [
          'a feature loader that depends on a plugin service',
          () =>
            createBackendFeatureLoader({
              deps: { logger: coreServices.logger as never },
              *loader() {},
            }),
          /^createBackendFeatureLoader\(\) lists deps\.logger as plugin-scoped service 'core\.logger'; loaders run before any plugin exists, so they may only depend on root-scoped services \(feature loader created at packages\/backend-app-api\/src\/wiring\/createSpecializedBackend\.validation\.test\.ts:\d+:\d+\)\.$/,
        ],
      ])('rejects %s', (_name, create, message) => {
        expect(create).toThrow(message);
      });
    });

    describe('reports every problem before any plugin init runs', () => {
      const customRef = createServiceRef<string>({ id: 'todo.store' });
      const serviceA = createServiceRef<string>({ id: 'cycle.a' });
      const serviceB = createServiceRef<string>({ id: 'cycle.b' });
      const firstFactory = createServiceFactory({
        service: customRef,
        deps: {},
        factory: () => 'first',
      });
      const secondFactory = createServiceFactory({
        service: customRef,
        deps: {},
        factory: () => 'second',
      });
      const duplicatePluginA = plugin('todo');
      const duplicatePluginB = plugin('todo');
      const duplicateModuleA = moduleOf('todo', 'extra');
      const duplicateModuleB = moduleOf('todo', 'extra');
      const failingLoader = createBackendFeatureLoader({
        loader() {
          throw new Error('could not list plugins');
        },
      });
      const missingDepLoader = createBackendFeatureLoader({
        deps: {
          store: createServiceRef<string>({
            id: 'loader.store',
            scope: 'root',
          }),
        },
        *loader() {},
      });
      const pluginMetadataOverride = createServiceFactory({
        service: coreServices.pluginMetadata,
        deps: {},
        factory: () => ({ getId: () => 'x' }),
      });

      /** The code of the one problem each row reports; none for a creator's InputError. */
      const problemCodes: Record<string, WiringErrorCode | undefined> = {
        'a plugin that never calls registerInit': undefined,
        'a plugin that calls registerInit twice': undefined,
        'an extension point registered after registerInit': undefined,
        'an extension point registered twice by one plugin': undefined,
        'an init dep that is neither a service ref nor an extension point':
          undefined,
        'two plugins with the same id': 'PLUGIN_DUPLICATE',
        'one plugin added twice': 'PLUGIN_DUPLICATE',
        'two modules with the same plugin and module id': 'MODULE_DUPLICATE',
        'one module added twice': 'MODULE_DUPLICATE',
        'one extension point registered by a plugin and by its module':
          'EXTENSION_POINT_DUPLICATE',
        'two factories for one singleton service': 'SERVICE_DUPLICATE',
        'a module whose plugin is not installed': 'PLUGIN_MISSING',
        'a module that consumes an extension point of another plugin':
          'EXTENSION_POINT_OF_OTHER_PLUGIN',
        'a plugin that consumes an extension point':
          'EXTENSION_POINT_USED_BY_PLUGIN',
        'a module that needs an extension point nobody registers':
          'EXTENSION_POINT_MISSING',
        'a custom service without a factory, asked for by two features':
          'SERVICE_MISSING',
        'a hand-built root factory that depends on a plugin service':
          'SERVICE_SCOPE_ROOT_USES_PLUGIN',
        'services that depend on each other': 'SERVICE_CYCLE',
        'modules that consume each other’s extension points': 'MODULE_CYCLE',
        'a function where a feature was expected': 'FEATURE_IS_FUNCTION',
        'a dynamic import of a module without a default export':
          'FEATURE_NO_DEFAULT_EXPORT',
        'a feature of an unsupported protocol version':
          'FEATURE_UNSUPPORTED_VERSION',
        'a registration of an unknown type': 'REGISTRATION_UNKNOWN_TYPE',
        'a factory that replaces the built-in plugin metadata':
          'SERVICE_RESERVED',
        'an invalid boot failure policy in config':
          'CONFIG_INVALID_BOOT_FAILURE_POLICY',
        'a feature loader whose service is missing': 'SERVICE_MISSING',
        'a feature loader that throws': 'LOADER_FAILED',
      };

      it.each<[string, () => unknown[], string]>([
        [
          'a plugin that never calls registerInit',
          () => [createBackendPlugin({ pluginId: 'todo', register() {} })],
          oneProblem(
            "The plugin 'todo' never called registerInit in its register function; call env.registerInit({ deps, init }) exactly once.",
          ),
        ],
        [
          'a plugin that calls registerInit twice',
          () => [
            createBackendPlugin({
              pluginId: 'todo',
              register(env) {
                env.registerInit({ deps: {}, async init() {} });
                env.registerInit({ deps: {}, async init() {} });
              },
            }),
          ],
          oneProblem(
            "The plugin 'todo' called registerInit more than once; a feature has exactly one init, so merge them.",
          ),
        ],
        [
          'an extension point registered after registerInit',
          () => [
            createBackendPlugin({
              pluginId: 'foo',
              register(env) {
                env.registerInit({ deps: {}, async init() {} });
                env.registerExtensionPoint(fooExtensionPoint, {});
              },
            }),
          ],
          oneProblem(
            "The plugin 'foo' called registerExtensionPoint after registerInit; register extension points first so that modules can use them.",
          ),
        ],
        [
          'an extension point registered twice by one plugin',
          () => [
            createBackendPlugin({
              pluginId: 'foo',
              register(env) {
                env.registerExtensionPoint(fooExtensionPoint, {});
                env.registerExtensionPoint(fooExtensionPoint, {});
                env.registerInit({ deps: {}, async init() {} });
              },
            }),
          ],
          oneProblem(
            "The plugin 'foo' registered extension point 'foo.things' twice; register each extension point once.",
          ),
        ],
        [
          'an init dep that is neither a service ref nor an extension point',
          () => [plugin('todo', { store: 'todo.store' })],
          oneProblem(
            "The plugin 'todo' lists deps.store as the string 'todo.store'; deps must be service refs (coreServices.x) or extension points.",
          ),
        ],
        [
          'an init dep that is a misspelt core service',
          () => [
            plugin('todo', {
              database: (coreServices as Record<string, unknown>).databse,
            }),
          ],
          oneProblem(
            `The plugin 'todo' lists deps.database as undefined, as a misspelt member of coreServices is: did you mean coreServices.database? The core services are ${Object.keys(coreServices).join(', ')}; deps must be service refs (coreServices.x) or extension points.`,
          ),
        ],
        [
          'an init dep that is undefined under a name of no core service',
          () => [plugin('todo', { orders: undefined })],
          oneProblem(
            `The plugin 'todo' lists deps.orders as undefined, as a misspelt member of coreServices is: check the name of the service ref, or that its package exports it. The core services are ${Object.keys(coreServices).join(', ')}; deps must be service refs (coreServices.x) or extension points.`,
          ),
        ],
        [
          'two plugins with the same id',
          () => [duplicatePluginA, duplicatePluginB],
          oneProblem(
            `Plugin 'todo' is registered twice: ${origin(duplicatePluginA)}, and ${origin(duplicatePluginB)}. These are two different plugins with the same id: give one of them another pluginId, or remove the one that is not meant to be installed.`,
          ),
        ],
        [
          'one plugin added twice',
          () => [duplicatePluginA, duplicatePluginA],
          oneProblem(
            `Plugin 'todo' (${origin(duplicatePluginA)}) is added twice; remove one of the backend.add() calls or feature loaders that add it.`,
          ),
        ],
        [
          'two modules with the same plugin and module id',
          () => [plugin('todo'), duplicateModuleA, duplicateModuleB],
          oneProblem(
            `Module 'extra' for plugin 'todo' is registered twice: ${origin(duplicateModuleA)}, and ${origin(duplicateModuleB)}. These are two different modules with the same plugin and module id: give one of them another moduleId, or remove the one that is not meant to be installed.`,
          ),
        ],
        [
          'one module added twice',
          () => [plugin('todo'), duplicateModuleA, duplicateModuleA],
          oneProblem(
            `Module 'extra' for plugin 'todo' (${origin(duplicateModuleA)}) is added twice; remove one of the backend.add() calls or feature loaders that add it.`,
          ),
        ],
        [
          'one extension point registered by a plugin and by its module',
          () => {
            const owner = createBackendPlugin({
              pluginId: 'foo',
              register(env) {
                env.registerExtensionPoint(fooExtensionPoint, {});
                env.registerInit({ deps: {}, async init() {} });
              },
            });
            const rival = moduleOf('foo', 'rival', {
              provides: fooExtensionPoint,
            });
            return [owner, rival, { origins: [origin(owner), origin(rival)] }];
          },
          'see origins',
        ],
        [
          'two factories for one singleton service',
          () => [firstFactory, secondFactory],
          oneProblem(
            `Service 'todo.store' is registered twice: ${origin(firstFactory)}, and ${origin(secondFactory)}. Add one factory per service, or declare its ref with multiton: true to collect several.`,
          ),
        ],
        [
          'a module whose plugin is not installed',
          () => [moduleOf('catalog', 'github')],
          oneProblem(
            "Module 'github' for plugin 'catalog' is installed, but plugin 'catalog' is not; add the plugin with backend.add(), or remove the module.",
          ),
        ],
        [
          'a module that consumes an extension point of another plugin',
          () => [
            createBackendPlugin({
              pluginId: 'scaffolder',
              register(env) {
                env.registerExtensionPoint(
                  createExtensionPoint<object>({ id: 'scaffolder.actions' }),
                  {},
                );
                env.registerInit({ deps: {}, async init() {} });
              },
            }),
            plugin('catalog'),
            moduleOf('catalog', 'github-provider', {
              deps: {
                actions: createExtensionPoint<object>({
                  id: 'scaffolder.actions',
                }),
              },
            }),
          ],
          oneProblem(
            "Module 'github-provider' for plugin 'catalog' consumes extension point 'scaffolder.actions', which belongs to plugin 'scaffolder'. A module may only use extension points of its own plugin; depend on a service instead.",
          ),
        ],
        [
          'a plugin that consumes an extension point',
          () => [
            createBackendPlugin({
              pluginId: 'foo',
              register(env) {
                env.registerExtensionPoint(fooExtensionPoint, {});
                env.registerInit({
                  deps: { things: fooExtensionPoint as never },
                  async init() {},
                });
              },
            }),
          ],
          oneProblem(
            "Plugin 'foo' depends on extension point 'foo.things' (deps.things), but only modules can use extension points; a plugin reads what its modules added through its own extension point implementation.",
          ),
        ],
        [
          'a module that needs an extension point nobody registers',
          () => [
            plugin('bar'),
            moduleOf('bar', 'extra', { deps: { things: barExtensionPoint } }),
          ],
          oneProblem(
            "Extension point 'bar.things' is required by the module 'extra' for plugin 'bar' (deps.things) but nothing installed registers it; install the plugin or module that provides it, or remove the module.",
          ),
        ],
        [
          'a custom service without a factory, asked for by two features',
          () => [
            plugin('todo', { store: customRef }),
            moduleOf('todo', 'extra', { deps: { store: customRef } }),
          ],
          oneProblem(
            `Service 'todo.store' is required by plugin 'todo', module 'extra' for plugin 'todo' but no factory provides it; add a factory for it with backend.add(createServiceFactory({ service: ... })); its ref is declared at ${(customRef as unknown as { description: string }).description}.`,
          ),
        ],
        [
          'a hand-built root factory that depends on a plugin service',
          () => {
            const rootRef = createServiceRef<string>({
              id: 'root.thing',
              scope: 'root',
            });
            return [
              plugin('todo', { thing: rootRef }),
              {
                $$type: '@backstage/BackendFeature',
                version: 'v1',
                featureType: 'service',
                service: rootRef,
                deps: { logger: coreServices.logger },
                factory: async () => 'x',
              },
            ];
          },
          oneProblem(
            "Root-scoped service 'root.thing' depends on plugin-scoped service 'core.logger' (deps.logger); a root-scoped service may only depend on root-scoped services.",
          ),
        ],
        [
          'services that depend on each other',
          () => [
            plugin('todo', { a: serviceA }),
            createServiceFactory({
              service: serviceA,
              deps: { b: serviceB },
              factory: ({ b }) => b,
            }),
            createServiceFactory({
              service: serviceB,
              deps: { a: serviceA },
              factory: ({ a }) => a,
            }),
          ],
          oneProblem(
            "Services depend on each other in a cycle: 'cycle.a' -> 'cycle.b' -> 'cycle.a'. Remove one of these dependencies, or move what they share into a new service that both depend on.",
          ),
        ],
        [
          'modules that consume each other’s extension points',
          () => [
            plugin('foo'),
            moduleOf('foo', 'left', {
              provides: createExtensionPoint({ id: 'foo.left' }),
              deps: { right: createExtensionPoint({ id: 'foo.right' }) },
            }),
            moduleOf('foo', 'right', {
              provides: createExtensionPoint({ id: 'foo.right' }),
              deps: { left: createExtensionPoint({ id: 'foo.left' }) },
            }),
          ],
          oneProblem(
            "Modules of plugin 'foo' depend on each other in a cycle: 'left' -> 'right' -> 'left'. Each consumes an extension point that the next registers, and a module starts only after the modules that use its extension points; move one of the extension points into the plugin or into a module of its own.",
          ),
        ],
        [
          'a function where a feature was expected',
          () => [plugin],
          oneProblem(
            "backend.add() received a function 'plugin' instead of a feature; pass the feature itself, for example the result of createBackendPlugin(), not a function that makes one.",
          ),
        ],
        [
          'a dynamic import of a module without a default export',
          () => [Promise.resolve({ todoPlugin: plugin('todo') })],
          oneProblem(
            "backend.add() received an object that is not a backend feature and has no default export (its keys: 'todoPlugin'); export the feature as default, or pass the feature itself.",
          ),
        ],
        [
          'a feature of an unsupported protocol version',
          () => [
            {
              $$type: '@backstage/BackendFeature',
              version: 'v2',
              featureType: 'service',
            },
          ],
          oneProblem(
            'backend.add() received a feature of version "v2", which this backend does not support; it loads version \'v1\'. Align the versions of @plinth/backend-plugin-api and @plinth/backend-app-api.',
          ),
        ],
        [
          'a registration of an unknown type',
          () => [
            {
              $$type: '@backstage/BackendFeature',
              version: 'v1',
              featureType: 'registrations',
              getRegistrations: () => [
                {
                  type: 'extension-v9',
                  pluginId: 'x',
                  extensionPoints: [],
                  init: { deps: {}, func: async () => {} },
                },
              ],
            },
          ],
          oneProblem(
            "A feature of unknown origin has a registration of unknown type \"extension-v9\"; this backend loads 'plugin-v1.1', 'module-v1.1', 'plugin' and 'module'.",
          ),
        ],
        [
          'a factory that replaces the built-in plugin metadata',
          () => [pluginMetadataOverride],
          oneProblem(
            `Service 'core.pluginMetadata' is provided by the backend itself and cannot be replaced; remove the factory ${origin(pluginMetadataOverride)}.`,
          ),
        ],
        [
          'an invalid boot failure policy in config',
          () => [
            plugin('todo'),
            mockServices.rootConfig.factory({
              data: {
                backend: {
                  startup: {
                    plugins: { todo: { onPluginBootFailure: 'ignore' } },
                  },
                },
              },
            }),
          ],
          oneProblem(
            "Invalid config at 'backend.startup.plugins.todo.onPluginBootFailure': expected 'abort' or 'continue', got \"ignore\".",
          ),
        ],
        [
          'a feature loader whose service is missing',
          () => [missingDepLoader],
          oneProblem(
            `Service 'loader.store' is required by feature loader ${(missingDepLoader as unknown as { description: string }).description} but no factory provides it; add a factory for it with backend.add(createServiceFactory({ service: ... })); its ref is declared at ${(missingDepLoader as unknown as { deps: { store: { description: string } } }).deps.store.description}.`,
          ),
        ],
        [
          'a feature loader that throws',
          () => [failingLoader],
          oneProblem(
            `The feature loader ${(failingLoader as unknown as { description: string }).description} failed.\n    caused by Error: could not list plugins`,
          ),
        ],
      ])('reports %s', async (name, makeFeatures, message) => {
        const features = makeFeatures();
        const last = features[features.length - 1] as { origins?: string[] };
        if (last?.origins) {
          features.pop();
          message = oneProblem(
            `Extension point 'foo.things' is registered twice: by the plugin 'foo' (${last.origins[0]}), and by the module 'rival' for plugin 'foo' (${last.origins[1]}). An extension point has one owner; remove one of the registrations.`,
          );
        }
        await expect(
          startTestBackend({ features: features as BackendFeature[] }),
        ).rejects.toThrow(message);
        await expect(
          startTestBackend({ features: features as BackendFeature[] }),
        ).rejects.toMatchObject({ name: 'BackendValidationError', message });
        const error = (await startTestBackend({
          features: features as BackendFeature[],
        }).catch((e: unknown) => e)) as BackendValidationError;
        expect(error.problems.map(p => (p as { code?: string }).code)).toEqual([
          problemCodes[name],
        ]);
      });

      // The test backend mocks every core service, so these start a bare one.
      const startBare = (features: BackendFeature[]) => {
        const backend = createSpecializedBackend({
          defaultServiceFactories: [],
          handleSignals: false,
        });
        features.forEach(f => backend.add(f));
        return backend.start();
      };

      it('names the backend.add() call and the file that threw of a feature whose import fails', async () => {
        const failure = (await startBare([
          import('./__fixtures__/throwsOnImport') as never,
        ]).catch((e: unknown) => e)) as BackendValidationError;
        expect(
          failure.problems.map(p => (p as { code?: string }).code),
        ).toEqual(['FEATURE_LOAD_FAILED']);
        expect(failure.message).toMatch(
          new RegExp(
            `^${escape(header(1))}\\n  - The feature added at packages/backend-app-api/src/wiring/createSpecializedBackend\\.validation\\.test\\.ts:\\d+:\\d+ \\(backend\\.add\\(\\)\\) failed to load; its code threw at packages/backend-app-api/src/wiring/__fixtures__/throwsOnImport\\.ts:5:\\d+\\. Fix the error below there, or remove the feature\\.\\n    caused by TypeError: forgotten\\.createBackendPlugin is not a function$`,
          ),
        );
      });

      it('names the caller, not a wrapper of backend.add(), of a feature whose import fails', async () => {
        // startTestBackend adds the features, as createBackend() wraps add.
        const failure = (await startTestBackend({
          features: [import('./__fixtures__/throwsOnImport') as never],
        }).catch((e: unknown) => e)) as Error;
        expect(failure.message).toMatch(
          /The feature added at packages\/backend-app-api\/src\/wiring\/createSpecializedBackend\.validation\.test\.ts:\d+:\d+ \(backend\.add\(\)\) failed to load; its code threw at packages\/backend-app-api\/src\/wiring\/__fixtures__\/throwsOnImport\.ts:5:\d+\./,
        );
      });

      it('reports a core service without a factory, naming its default', async () => {
        await expect(
          startBare([plugin('catalog', { scheduler: coreServices.scheduler })]),
        ).rejects.toThrow(
          oneProblem(
            "Service 'core.scheduler' is required by plugin 'catalog' but no factory provides it; add its default, backend.add(schedulerServiceFactory) from '@plinth/backend-defaults/scheduler', or your own createServiceFactory({ service: coreServices.scheduler, ... }); createBackend() includes every default.",
          ),
        );
      });

      it('lists several problems in one error, one per line', async () => {
        const init = jest.fn();
        await expect(
          startBare([
            moduleOf('catalog', 'github'),
            createBackendPlugin({
              pluginId: 'todo',
              register(env) {
                env.registerInit({
                  deps: { scheduler: coreServices.scheduler },
                  init,
                });
              },
            }),
          ]),
        ).rejects.toThrow(
          [
            header(2),
            "  - Module 'github' for plugin 'catalog' is installed, but plugin 'catalog' is not; add the plugin with backend.add(), or remove the module.",
            "  - Service 'core.scheduler' is required by plugin 'todo' but no factory provides it; add its default, backend.add(schedulerServiceFactory) from '@plinth/backend-defaults/scheduler', or your own createServiceFactory({ service: coreServices.scheduler, ... }); createBackend() includes every default.",
          ].join('\n'),
        );
        expect(init).not.toHaveBeenCalled();
      });
    });
  });
});
