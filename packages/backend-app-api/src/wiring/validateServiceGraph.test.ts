import {
  createBackendPlugin,
  createServiceRef,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import { createSpecializedBackend } from './createSpecializedBackend';
import { knownServiceProviders } from './validateServiceGraph';

/** Starts a backend with no services at all, whose one plugin needs `ref`. */
async function missingServiceMessage(ref: ServiceRef<unknown>) {
  const backend = createSpecializedBackend({
    defaultServiceFactories: [],
    handleSignals: false,
  });
  backend.add(
    createBackendPlugin({
      pluginId: 'todo',
      register(env) {
        env.registerInit({ deps: { service: ref }, async init() {} });
      },
    }),
  );
  const error = (await backend.start().catch((e: unknown) => e)) as Error;
  return error.message.split('\n')[1];
}

describe('knownServiceProviders', () => {
  it("covers every service that Backstage's createBackend() provides (backend-defaults 0.19)", () => {
    // The ids of Backstage's coreServices and of the other factories in
    // @backstage/backend-defaults 0.19's defaultServiceFactories, apart
    // from the unexported compatibility service 'core.instanceMetadata'.
    const backstageIds = [
      'core.auditor',
      'core.auth',
      'core.cache',
      'core.database',
      'core.discovery',
      'core.httpAuth',
      'core.httpRouter',
      'core.lifecycle',
      'core.logger',
      'core.permissions',
      'core.permissionsRegistry',
      'core.pluginMetadata',
      'core.rootConfig',
      'core.rootHealth',
      'core.rootHttpRouter',
      'core.rootInstanceMetadata',
      'core.rootLifecycle',
      'core.rootLogger',
      'core.rootSystemMetadata',
      'core.scheduler',
      'core.urlReader',
      'core.userInfo',
      'events.service',
      'alpha.core.actions',
      'alpha.core.actionsRegistry',
      'alpha.core.connections',
      'alpha.core.metrics',
      'alpha.core.tracing',
    ];
    expect(Object.keys(knownServiceProviders).sort()).toEqual(
      backstageIds.sort(),
    );
  });

  it('leaves the services the engine provides itself without a factory', () => {
    expect(knownServiceProviders['core.pluginMetadata']).toEqual({
      kind: 'engine',
    });
    expect(knownServiceProviders['core.rootInstanceMetadata']).toEqual({
      kind: 'engine',
    });
  });
});

describe('validateServiceGraph', () => {
  it.each([
    [
      'core.auditor',
      "add its default, backend.add(auditorServiceFactory) from '@plinth/backend-defaults/auditor', or your own createServiceFactory({ service: coreServices.auditor, ... })",
    ],
    [
      'core.permissionsRegistry',
      "add its default, backend.add(permissionsRegistryServiceFactory) from '@plinth/backend-defaults/permissionsRegistry', or your own createServiceFactory({ service: coreServices.permissionsRegistry, ... })",
    ],
    [
      'alpha.core.actionsRegistry',
      "add its default, backend.add(actionsRegistryServiceFactory) from '@plinth/backend-defaults/alpha', or your own createServiceFactory()",
    ],
    [
      'events.service',
      "add its default, backend.add(eventsServiceFactory) from '@plinth/backend-defaults/events', or your own createServiceFactory()",
    ],
  ])("names the factory and package of a missing '%s'", async (id, fix) => {
    await expect(missingServiceMessage(createServiceRef({ id }))).resolves.toBe(
      `  - Service '${id}' is required by plugin 'todo' but no factory provides it; ${fix}; createBackend() includes every default.`,
    );
  });

  it('gives an id it does not know the generic hint, never an invented factory name', async () => {
    const ref = createServiceRef({ id: 'core.somethingNew' });
    await expect(missingServiceMessage(ref)).resolves.toBe(
      `  - Service 'core.somethingNew' is required by plugin 'todo' but no factory provides it; add a factory for it with backend.add(createServiceFactory({ service: ... })); its ref is declared at ${(ref as unknown as { description: string }).description}.`,
    );
  });
});
