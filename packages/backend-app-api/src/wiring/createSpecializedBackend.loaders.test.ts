import {
  coreServices,
  createBackendFeatureLoader,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';

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
  describe('feature loaders', () => {
    it('adds the features a loader chooses from config', async () => {
      const started: string[] = [];
      const loader = createBackendFeatureLoader({
        deps: { config: coreServices.rootConfig },
        *loader({ config }) {
          for (const id of config.getStringArray('plugins')) {
            yield plugin(id, () => started.push(id));
          }
        },
      });
      await startTestBackend({
        features: [
          loader,
          mockServices.rootConfig.factory({ data: { plugins: ['a', 'b'] } }),
        ],
      });
      expect(started.sort()).toEqual(['a', 'b']);
    });

    it('accepts dynamic imports, async loaders and loaders that yield loaders', async () => {
      const started: string[] = [];
      const inner = createBackendFeatureLoader({
        async *loader() {
          yield { default: plugin('inner', () => started.push('inner')) };
        },
      });
      const outer = createBackendFeatureLoader({
        loader: async () => [
          Promise.resolve({
            default: plugin('imported', () => started.push('imported')),
          }),
          inner,
        ],
      });
      await startTestBackend({ features: [outer] });
      expect(started.sort()).toEqual(['imported', 'inner']);
    });

    it('lets a loader provide service factories', async () => {
      const ref = createServiceRef<string>({ id: 'loaded.value' });
      let value: string | undefined;
      await startTestBackend({
        features: [
          createBackendFeatureLoader({
            *loader() {
              yield createServiceFactory({
                service: ref,
                deps: {},
                factory: () => 'loaded',
              });
            },
          }),
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
      expect(value).toBe('loaded');
    });

    it('refuses a loader factory for a service another loader already used', async () => {
      const loader = createBackendFeatureLoader({
        deps: { config: coreServices.rootConfig },
        *loader() {
          yield replacement;
        },
      });
      const replacement = mockServices.rootConfig.factory({ data: {} });
      await expect(startTestBackend({ features: [loader] })).rejects.toThrow(
        `Service 'core.rootConfig' got a factory (created at ${(replacement as unknown as { description: string }).description}) from a feature loader after the service was already created for another loader; add that factory with backend.add() instead.`,
      );
    });

    it('names the loader when it yields something that is not a feature', async () => {
      const loader = createBackendFeatureLoader({
        *loader() {
          yield 'catalog' as never;
        },
      });
      const description = (loader as unknown as { description: string })
        .description;
      await expect(startTestBackend({ features: [loader] })).rejects.toThrow(
        `The feature loader ${description} received the string 'catalog', which is not a backend feature;`,
      );
    });
  });

  describe('protocol compatibility', () => {
    it('loads features in the first protocol version, with extension point tuples', async () => {
      const added: string[] = [];
      const extensionPoint = {
        $$type: '@backstage/ExtensionPoint',
        id: 'legacy.things',
        T: undefined,
        toString: () => 'extensionPoint{legacy.things}',
      };
      const legacyFeature = {
        $$type: '@backstage/BackendFeature',
        version: 'v1',
        featureType: 'registrations',
        getRegistrations: () => [
          {
            type: 'plugin',
            pluginId: 'legacy',
            extensionPoints: [
              [extensionPoint, { add: (v: string) => added.push(v) }],
            ],
            init: { deps: {}, func: async () => {} },
          },
          {
            type: 'module',
            pluginId: 'legacy',
            moduleId: 'extra',
            extensionPoints: [],
            init: {
              deps: { things: extensionPoint },
              func: async ({ things }: { things: { add(v: string): void } }) =>
                things.add('from module'),
            },
          },
        ],
      };
      await startTestBackend({ features: [legacyFeature as never] });
      expect(added).toEqual(['from module']);
    });

    it('calls register once for each backend a feature is added to', async () => {
      const register = jest.fn(
        (env: { registerInit(options: unknown): void }) => {
          env.registerInit({ deps: {}, async init() {} });
        },
      );
      const shared = createBackendPlugin({ pluginId: 'shared', register });
      await startTestBackend({ features: [shared] });
      await startTestBackend({ features: [shared] });
      expect(register).toHaveBeenCalledTimes(2);
    });
  });
});
