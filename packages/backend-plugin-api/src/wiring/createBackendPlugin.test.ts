import { coreServices } from '../services/definitions/coreServices';
import type { InternalBackendRegistrations } from './BackendFeature';
import {
  createBackendModule,
  createBackendPlugin,
} from './createBackendPlugin';
import { createExtensionPoint } from './createExtensionPoint';

describe('createBackendPlugin', () => {
  it('returns a plain-data feature in the shared protocol', () => {
    const things = createExtensionPoint<string[]>({ id: 'todo.things' });
    const feature = createBackendPlugin({
      pluginId: 'todo',
      register(env) {
        env.registerExtensionPoint(things, []);
        env.registerInit({
          deps: { logger: coreServices.logger },
          async init() {},
        });
      },
    }) as InternalBackendRegistrations;
    expect(feature).toMatchObject({
      $$type: '@backstage/BackendFeature',
      version: 'v1',
      featureType: 'registrations',
    });
    const [registration] = feature.getRegistrations();
    expect(registration).toMatchObject({
      type: 'plugin-v1.1',
      pluginId: 'todo',
      init: { deps: { logger: coreServices.logger } },
    });
    const [extension] = registration.extensionPoints as Array<{
      extensionPoint: unknown;
      factory(context: unknown): unknown;
    }>;
    expect(extension.extensionPoint).toBe(things);
    expect(extension.factory({})).toEqual([]);
  });

  it('records where it was created, for error messages', () => {
    const feature = createBackendPlugin({
      pluginId: 'todo',
      register(env) {
        env.registerInit({ deps: {}, async init() {} });
      },
    }) as InternalBackendRegistrations;
    expect(feature.description).toMatch(
      /^packages\/backend-plugin-api\/src\/wiring\/createBackendPlugin\.test\.ts:\d+:\d+$/,
    );
  });

  it('rejects a registerExtensionPoint call without an extension point', () => {
    const feature = createBackendPlugin({
      pluginId: 'todo',
      register(env) {
        env.registerExtensionPoint('todo.things' as never, []);
        env.registerInit({ deps: {}, async init() {} });
      },
    }) as InternalBackendRegistrations;
    expect(() => feature.getRegistrations()).toThrow(
      "The plugin 'todo' called registerExtensionPoint with the string 'todo.things'; pass an extension point from createExtensionPoint() and its implementation, or { extensionPoint, factory }.",
    );
  });

  it('rejects an init that is not a function', () => {
    const feature = createBackendPlugin({
      pluginId: 'todo',
      register(env) {
        env.registerInit({ deps: {}, init: undefined as never });
      },
    }) as InternalBackendRegistrations;
    expect(() => feature.getRegistrations()).toThrow(
      "The plugin 'todo' passed registerInit an init that is undefined; it must be an async function.",
    );
  });

  it('names the plugin when its register function throws', () => {
    const feature = createBackendPlugin({
      pluginId: 'todo',
      register() {
        throw new TypeError(
          "Cannot read properties of undefined (reading 'x')",
        );
      },
    }) as InternalBackendRegistrations;
    expect(() => feature.getRegistrations()).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: "The plugin 'todo' threw in its register function",
        cause: expect.objectContaining({
          message: "Cannot read properties of undefined (reading 'x')",
        }),
      }),
    );
  });
});

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
