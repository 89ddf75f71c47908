import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
  createBackendPlugin,
  createExtensionPoint,
  createServiceFactory,
  createServiceRef,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import type { WiringErrorCode } from '../errors';
import { createSpecializedBackend } from './createSpecializedBackend';

const descriptionOf = (value: unknown) =>
  (value as { description: string }).description;

const pluginUsing = (
  pluginId: string,
  deps: Record<string, ServiceRef<unknown>>,
) =>
  createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({ deps, async init() {} });
    },
  });

const header =
  'Backend cannot start: found 1 problem before initializing any plugin:\n  - ';

describe('createSpecializedBackend', () => {
  describe('failures', () => {
    it('reports an added import that rejected before start instead of crashing the process', async () => {
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      try {
        const backend = createSpecializedBackend({
          defaultServiceFactories: [mockServices.rootLogger.factory()],
          handleSignals: false,
        });
        backend.add(
          Promise.reject(new Error("Cannot find module './missing'")),
        );
        await new Promise(resolve => setTimeout(resolve, 10));
        await expect(backend.start()).rejects.toThrow(
          `${header}The feature added at packages/backend-app-api/src/wiring/createSpecializedBackend.failures.test.ts:46:17 (backend.add()) failed to load. Fix the error below there, or remove the feature.\n    caused by Error: Cannot find module './missing'`,
        );
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });

    it('settles every import a loader returns, even one that rejects before its turn', async () => {
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      try {
        const slow = new Promise<{ default: never }>(() => {});
        const loader = createBackendFeatureLoader({
          loader: () => [
            Promise.reject(new Error('import failed')) as never,
            Promise.race([
              slow,
              Promise.resolve({ default: pluginUsing('a', {}) }),
            ]),
          ],
        });
        await expect(startTestBackend({ features: [loader] })).rejects.toThrow(
          `${header}The feature loader ${descriptionOf(loader)} failed.\n    caused by Error: import failed`,
        );
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });

    describe("checks what a ref's defaultFactory returns", () => {
      it.each<
        [
          string,
          (ref: ServiceRef<string>) => Promise<unknown>,
          (id: string) => string,
        ]
      >([
        ['nothing', async () => undefined, () => 'undefined'],
        [
          'a factory for another service',
          async () =>
            createServiceFactory({
              service: createServiceRef<string>({ id: 'x.other' }),
              deps: {},
              factory: () => 'x',
            }),
          () => "a factory for 'x.other'",
        ],
      ])(
        'rejects a default factory that returns %s',
        async (_name, defaultFactory, got) => {
          const ref = createServiceRef<string>({
            id: 'x.wrong',
            defaultFactory: defaultFactory as never,
          });
          await expect(
            startTestBackend({ features: [pluginUsing('a', { value: ref })] }),
          ).rejects.toThrow(
            `${header}The defaultFactory of service ref 'x.wrong' (declared at ${descriptionOf(ref)}) returned ${got('x.wrong')}; it must return a factory for 'x.wrong', made with createServiceFactory({ service, ... }).`,
          );
          await expect(
            startTestBackend({ features: [pluginUsing('a', { value: ref })] }),
          ).rejects.toMatchObject({
            problems: [{ code: 'SERVICE_DEFAULT_FACTORY_MISMATCH' }],
          });
        },
      );

      it('reports a default factory that rejects, with its cause', async () => {
        const ref = createServiceRef<string>({
          id: 'x.failing',
          defaultFactory: () =>
            Promise.reject(new Error('module not installed')),
        });
        await expect(
          startTestBackend({ features: [pluginUsing('a', { value: ref })] }),
        ).rejects.toThrow(
          `${header}The defaultFactory of service ref 'x.failing' (declared at ${descriptionOf(ref)}) failed.\n    caused by Error: module not installed`,
        );
        await expect(
          startTestBackend({ features: [pluginUsing('a', { value: ref })] }),
        ).rejects.toMatchObject({
          problems: [{ code: 'SERVICE_DEFAULT_FACTORY_FAILED' }],
        });
      });
    });

    it('refuses two default factories for one singleton service', () => {
      const first = mockServices.rootConfig.factory();
      const second = mockServices.rootConfig.factory();
      expect(() =>
        createSpecializedBackend({ defaultServiceFactories: [first, second] }),
      ).toThrow(
        `Default service 'core.rootConfig' is registered twice: created at ${descriptionOf(first)}, and created at ${descriptionOf(second)}. Pass one default factory per singleton service to createSpecializedBackend().`,
      );
      expect(() =>
        createSpecializedBackend({ defaultServiceFactories: [first, second] }),
      ).toThrow(
        expect.objectContaining({
          name: 'WiringError',
          code: 'SERVICE_DEFAULT_DUPLICATE',
        }),
      );
    });

    it('reports a failed shared root context once, under each plugin that needed it', async () => {
      const ref = createServiceRef<string>({ id: 'x.pooled' });
      await expect(
        startTestBackend({
          features: [
            createServiceFactory({
              service: ref,
              deps: {},
              createRootContext: () => {
                throw new Error('pool exhausted');
              },
              factory: () => 'x',
            }),
            pluginUsing('p1', { value: ref }),
          ],
        }),
      ).rejects.toThrow(
        [
          'Backend failed to start:',
          "  - Plugin 'p1' failed to start.",
          "    caused by ServiceFactoryError: Service 'x.pooled' could not be created for plugin 'p1'.",
          "    caused by ServiceFactoryError: The shared root context of service 'x.pooled' could not be created.",
          '    caused by Error: pool exhausted',
        ].join('\n'),
      );
    });

    describe('module failures a plugin reports through its extension point', () => {
      const rules = createExtensionPoint<{ add(rule: string): void }>({
        id: 'todo.rules',
      });
      const pluginReportingIn = (
        phase: 'startup hook' | 'after start',
        onReport: () => void,
      ) =>
        createBackendPlugin({
          pluginId: 'todo',
          register(env) {
            const reports: Array<() => void> = [];
            env.registerExtensionPoint({
              extensionPoint: rules,
              factory: context => ({
                add: rule =>
                  reports.push(() =>
                    context.reportModuleStartupFailure({
                      error: new Error(`rule '${rule}' failed`),
                    }),
                  ),
              }),
            });
            env.registerInit({
              deps: { lifecycle: coreServices.lifecycle },
              async init({ lifecycle }) {
                if (phase === 'startup hook') {
                  lifecycle.addStartupHook(() =>
                    reports.forEach(report => report()),
                  );
                } else {
                  setImmediate(() => {
                    reports.forEach(report => report());
                    onReport();
                  });
                }
              },
            });
          },
        });
      const module = createBackendModule({
        pluginId: 'todo',
        moduleId: 'rules',
        register(env) {
          env.registerInit({
            deps: { rules },
            async init({ rules: r }) {
              r.add('bad');
            },
          });
        },
      });

      it('fails the start for a report made from a startup hook', async () => {
        await expect(
          startTestBackend({
            features: [pluginReportingIn('startup hook', () => {}), module],
          }),
        ).rejects.toThrow(
          [
            'Backend failed to start:',
            "  - Module 'rules' for plugin 'todo' failed to start.",
            "    caused by Error: rule 'bad' failed",
          ].join('\n'),
        );
      });

      it('logs a report made after the backend started', async () => {
        const logger = MockLoggerService.create();
        let reported!: () => void;
        const done = new Promise<void>(resolve => {
          reported = resolve;
        });
        await startTestBackend({
          features: [
            pluginReportingIn('after start', () => reported()),
            module,
            mockServices.rootLogger.factory({ logger }),
          ],
        });
        await done;
        expect(logger.messages('error')).toEqual([
          "Module 'rules' for plugin 'todo' failed to start. It was reported after the backend had started, so the backend keeps running.",
        ]);
      });
    });

    describe('state errors', () => {
      const newBackend = () =>
        createSpecializedBackend({
          defaultServiceFactories: [mockServices.rootLogger.factory()],
          handleSignals: false,
        });

      it('says add came after stop when the backend was stopped without starting', async () => {
        const backend = newBackend();
        await backend.stop();
        expect(() => backend.add(pluginUsing('a', {}))).toThrow(
          'backend.add() was called after backend.stop(); add every feature before starting the backend.',
        );
        expect(() => backend.add(pluginUsing('a', {}))).toThrow(
          expect.objectContaining({
            name: 'BackendStateError',
            code: 'BACKEND_ADD_AFTER_START',
          }),
        );
      });

      it('says a second start follows a failed start', async () => {
        const backend = newBackend();
        backend.add(pluginUsing('a', { missing: coreServices.scheduler }));
        await expect(backend.start()).rejects.toThrow('Backend cannot start');
        await expect(backend.start()).rejects.toThrow(
          'backend.start() was called again after a failed start; fix the reported problems and start a new backend.',
        );
        await expect(backend.start()).rejects.toMatchObject({
          code: 'BACKEND_START_AGAIN',
        });
      });
    });

    describe('features built by hand or by other runtimes', () => {
      const registrations = (registration: object) => ({
        $$type: '@backstage/BackendFeature',
        version: 'v1',
        featureType: 'registrations',
        getRegistrations: () => [registration],
      });

      const handBuiltCodes: Record<string, WiringErrorCode> = {
        'a loader that depends on a plugin-scoped service':
          'SERVICE_SCOPE_LOADER_USES_PLUGIN',
        'a feature of an unknown type': 'FEATURE_UNKNOWN_TYPE',
        'a registration without init': 'REGISTRATION_NO_INIT',
        'an extension point not made by createExtensionPoint':
          'REGISTRATION_FOREIGN_EXTENSION_POINT',
        'a register function that throws something other than an error':
          'FEATURE_REGISTER_FAILED',
      };

      it.each<[string, unknown, string]>([
        [
          'a loader that depends on a plugin-scoped service',
          {
            $$type: '@backstage/BackendFeature',
            version: 'v1',
            featureType: 'loader',
            description: 'feature loader created at loaders.ts:1:1',
            deps: { logger: coreServices.logger },
            loader: async () => [],
          },
          "The feature loader created at loaders.ts:1:1 depends on plugin-scoped service 'core.logger' (deps.logger); loaders run before any plugin exists, so they may only depend on root-scoped services.",
        ],
        [
          'a feature of an unknown type',
          {
            $$type: '@backstage/BackendFeature',
            version: 'v1',
            featureType: 'widget',
          },
          "backend.add() received a feature of unknown type \"widget\"; this backend loads 'service', 'registrations' and 'loader' features.",
        ],
        [
          'a registration without init',
          registrations({
            type: 'plugin-v1.1',
            pluginId: 'todo',
            extensionPoints: [],
          }),
          "The plugin 'todo' (of unknown origin) has no init; its registration must provide init: { deps, func }.",
        ],
        [
          'an extension point not made by createExtensionPoint',
          registrations({
            type: 'plugin-v1.1',
            pluginId: 'todo',
            extensionPoints: [
              { extensionPoint: { id: 'todo.things' }, factory: () => ({}) },
            ],
            init: { deps: {}, func: async () => {} },
          }),
          "The plugin 'todo' (of unknown origin) registers an extension point that was not made by createExtensionPoint().",
        ],
        [
          'a register function that throws something other than an error',
          {
            $$type: '@backstage/BackendFeature',
            version: 'v1',
            featureType: 'registrations',
            getRegistrations: () => {
              // eslint-disable-next-line @typescript-eslint/only-throw-error -- the case under test
              throw 'nope';
            },
          },
          'A feature of unknown origin failed to register.\n    caused by nope',
        ],
      ])('reports %s', async (name, feature, message) => {
        const started = startTestBackend({ features: [feature as never] });
        await expect(started).rejects.toThrow(header + message);
        await expect(started).rejects.toMatchObject({
          problems: [{ name: 'WiringError', code: handBuiltCodes[name] }],
        });
      });

      it('reports a lifecycle service the backend cannot drive', async () => {
        const backend = await startTestBackend({
          features: [
            createServiceFactory({
              service: coreServices.lifecycle,
              deps: {},
              factory: () => ({ addStartupHook() {}, addShutdownHook() {} }),
            }),
            createBackendPlugin({
              pluginId: 'todo',
              register(env) {
                env.registerInit({
                  deps: { lifecycle: coreServices.lifecycle },
                  async init() {},
                });
              },
            }),
          ],
        }).catch(error => error as Error);
        expect(backend).toBeInstanceOf(Error);
        expect((backend as Error).message).toBe(
          [
            'Backend failed to start:',
            "  - Service 'core.lifecycle' of plugin 'todo' has no startup() method, so the backend cannot run its hooks. A lifecycle implementation must offer startup() and shutdown(), each returning a promise that settles once the hooks ran, as LifecycleHooks from '@plinth/backend-app-api' and Backstage's lifecycle services do.",
            'Fix the causes above.',
          ].join('\n'),
        );
        expect(backend).toMatchObject({
          failures: [
            { name: 'LifecycleError', code: 'LIFECYCLE_WITHOUT_RUNNER' },
          ],
        });
      });
    });
  });
});
