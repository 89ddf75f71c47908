import { createBackendModule } from './createBackendModule';
import type { InternalBackendRegistrations } from './FeatureRegistrations';

describe('createBackendModule', () => {
  it('returns a module registration in the shared protocol', () => {
    const feature = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'github',
      register(env) {
        env.registerInit({ deps: {}, async init() {} });
      },
    }) as InternalBackendRegistrations;
    expect(feature.getRegistrations()).toEqual([
      expect.objectContaining({
        type: 'module-v1.1',
        pluginId: 'catalog',
        moduleId: 'github',
        extensionPoints: [],
      }),
    ]);
  });

  it('rejects a module without a register function', () => {
    expect(() =>
      createBackendModule({ pluginId: 'catalog', moduleId: 'github' } as never),
    ).toThrow(
      "createBackendModule() for module 'github' of plugin 'catalog' needs a register function, got undefined.",
    );
  });

  it('rejects registerInit deps that are not an object', () => {
    const feature = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'github',
      register(env) {
        env.registerInit({ deps: null as never, async init() {} });
      },
    }) as InternalBackendRegistrations;
    expect(() => feature.getRegistrations()).toThrow(
      "The module 'github' for plugin 'catalog' passed registerInit a deps value that is null; use an object of service refs, or {} when it needs nothing.",
    );
  });
});
