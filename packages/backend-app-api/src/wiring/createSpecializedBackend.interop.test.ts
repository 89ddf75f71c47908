import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
  type BackendFeature,
  type RootInstanceMetadataService,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import { startTestBackend } from '@plinth/backend-test-utils';
import { createSpecializedBackend } from './createSpecializedBackend';

// Plain objects shaped as Backstage 1.12's creators make them, so that these
// tests pin the protocol without depending on Backstage's packages.

/** A ref as Backstage's createServiceRef makes it: the default in __defaultFactory, T null. */
function backstageRef<T>(
  id: string,
  defaultFactory?: (ref: ServiceRef<T, 'plugin', 'singleton'>) => unknown,
) {
  return {
    $$type: '@backstage/ServiceRef',
    id,
    scope: 'plugin',
    multiton: false,
    T: null,
    toString: () => `serviceRef{${id}}`,
    __defaultFactory: defaultFactory,
  } as unknown as ServiceRef<T, 'plugin', 'singleton'>;
}

/** A loader as Backstage's createBackendFeatureLoader makes it: no deps, resolves to an array. */
function backstageLoader(
  loader: () => Promise<unknown[]>,
  description = "created at '/app/src/index.ts:3:1'",
) {
  return {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'loader',
    description,
    deps: undefined,
    loader,
  } as unknown as BackendFeature;
}

const plugin = (pluginId: string, onInit: () => void = () => {}) =>
  createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {},
        async init() {
          onInit();
        },
      });
    },
  });

describe('createSpecializedBackend', () => {
  describe("features built by Backstage's rules", () => {
    it('uses the default factory a ref keeps in __defaultFactory, calling it with the ref', async () => {
      const ref = backstageRef<string>(
        'bs.greeting',
        async (service: ServiceRef<string, 'plugin', 'singleton'>) => {
          expect(service).toBe(ref);
          return createServiceFactory({
            service,
            deps: {},
            factory: () => 'hello',
          });
        },
      );
      let greeting: string | undefined;
      await startTestBackend({
        features: [
          createBackendPlugin({
            pluginId: 'a',
            register(env) {
              env.registerInit({
                deps: { greeting: ref },
                async init(deps) {
                  greeting = deps.greeting;
                },
              });
            },
          }),
        ],
      });
      expect(greeting).toBe('hello');
    });

    it('calls a default factory result that is a function, the older form Backstage still accepts', async () => {
      const ref = backstageRef<string>('bs.legacy', service =>
        Promise.resolve(() =>
          createServiceFactory({ service, deps: {}, factory: () => 'legacy' }),
        ),
      );
      let value: string | undefined;
      await startTestBackend({
        features: [
          createBackendPlugin({
            pluginId: 'a',
            register(env) {
              env.registerInit({
                deps: { value: ref },
                async init(deps) {
                  value = deps.value;
                },
              });
            },
          }),
        ],
      });
      expect(value).toBe('legacy');
    });

    it('says how to fix a default factory that returns a module instead of its factory', async () => {
      const ref = createServiceRef<string>({
        id: 'x.module',
        defaultFactory: (async (service: ServiceRef<string, 'plugin'>) => ({
          default: createServiceFactory({
            service,
            deps: {},
            factory: () => 'x',
          }),
        })) as never,
      });
      await expect(
        startTestBackend({
          features: [
            createBackendPlugin({
              pluginId: 'a',
              register(env) {
                env.registerInit({ deps: { value: ref }, async init() {} });
              },
            }),
          ],
        }),
      ).rejects.toThrow(
        `The defaultFactory of service ref 'x.module' (declared at ${(ref as unknown as { description: string }).description}) returned an object; it must return a factory for 'x.module', made with createServiceFactory({ service, ... }). Return the module's export, as in import('./factory').then(m => m.default).`,
      );
    });

    it('adds a feature under two default layers, as import() of a CommonJS module from ES code gives', async () => {
      const started: string[] = [];
      await startTestBackend({
        features: [
          Promise.resolve({
            default: { default: plugin('cjs', () => started.push('cjs')) },
          }) as never,
        ],
      });
      expect(started).toEqual(['cjs']);
    });

    it('refuses a feature under three default layers, naming what it got', async () => {
      const three = Promise.resolve({
        default: { default: { default: plugin('deep') } },
      });
      await expect(
        startTestBackend({ features: [three as never] }),
      ).rejects.toThrow(
        "backend.add() received an object that is not a backend feature and has no default export (its keys: 'default'); export the feature as default, or pass the feature itself.",
      );
    });

    it("runs a loader that resolves to an array, without deps, and names it by Backstage's description", async () => {
      const started: string[] = [];
      await startTestBackend({
        features: [
          backstageLoader(async () => [
            plugin('first', () => started.push('first')),
            { default: plugin('second', () => started.push('second')) },
          ]),
        ],
      });
      expect(started.sort()).toEqual(['first', 'second']);
      await expect(
        startTestBackend({
          features: [
            backstageLoader(() => Promise.reject(new Error('disk full'))),
          ],
        }),
      ).rejects.toThrow(
        "The feature loader created at '/app/src/index.ts:3:1' failed.\n    caused by Error: disk full",
      );
    });

    it('still runs a loader of an older Plinth, which resolves to the iterable its author returned', async () => {
      const started: string[] = [];
      const loader = {
        $$type: '@backstage/BackendFeature',
        version: 'v1',
        featureType: 'loader',
        description: 'feature loader created at old.ts:1:1',
        deps: {},
        loader: async () =>
          (function* () {
            yield plugin('old', () => started.push('old'));
            yield Promise.resolve({
              default: plugin('older', () => started.push('older')),
            });
          })(),
      } as unknown as BackendFeature;
      await startTestBackend({ features: [loader] });
      expect(started.sort()).toEqual(['old', 'older']);
    });

    it('reports a loader that resolves to something other than features', async () => {
      const started = startTestBackend({
        features: [backstageLoader(async () => 42 as never)],
      });
      await expect(started).rejects.toThrow(
        "The feature loader created at '/app/src/index.ts:3:1' resolved to number 42; a feature loader must resolve to an array of features. Create it with createBackendFeatureLoader().",
      );
      await expect(started).rejects.toMatchObject({
        problems: [{ name: 'WiringError', code: 'LOADER_INVALID_OUTPUT' }],
      });
    });
  });

  describe('rootInstanceMetadata', () => {
    const readMetadata = async (options: { instanceId?: string }) => {
      let metadata: RootInstanceMetadataService | undefined;
      const backend = createSpecializedBackend({
        defaultServiceFactories: [],
        handleSignals: false,
        ...options,
      });
      backend.add(
        createBackendPlugin({
          pluginId: 'a',
          register(env) {
            env.registerInit({
              deps: { meta: coreServices.rootInstanceMetadata },
              async init({ meta }) {
                metadata = meta;
              },
            });
          },
        }),
      );
      await backend.start();
      await backend.stop();
      return metadata!;
    };

    it('returns the instance id the backend was given', async () => {
      const metadata = await readMetadata({ instanceId: 'replica-7' });
      expect(metadata.getId()).toBe('replica-7');
    });

    it('gives each backend its own random id, the same on every call', async () => {
      const first = await readMetadata({});
      const second = await readMetadata({});
      expect(first.getId()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(first.getId()).toBe(first.getId());
      expect(second.getId()).not.toBe(first.getId());
    });

    it('rejects an instance id that is not a non-empty string', () => {
      expect(() =>
        createSpecializedBackend({
          defaultServiceFactories: [],
          instanceId: ' ',
        }),
      ).toThrow(
        "createSpecializedBackend() got instanceId the string ' '; use a non-empty string that no other backend instance uses, or leave it out for a random UUID.",
      );
    });
  });
});
