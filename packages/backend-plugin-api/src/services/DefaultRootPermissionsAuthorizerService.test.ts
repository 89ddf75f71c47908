import type { RootLifecycleService } from './definitions/LifecycleService';
import type { PermissionsAuthorizer } from './definitions/PermissionsAuthorizerService';
import { DefaultRootPermissionsAuthorizerService } from './DefaultRootPermissionsAuthorizerService';

const authorizer: PermissionsAuthorizer = {
  evaluate: async requests => requests.map(() => ({ result: 'ALLOW' })),
};

describe('DefaultRootPermissionsAuthorizerService', () => {
  it('has no authorizer when the permission plugin is not installed', async () => {
    const { slot } = create(['catalog']);
    await expect(slot.getAuthorizer()).resolves.toBeUndefined();
  });

  it('waits for the permission plugin to set its authorizer', async () => {
    const { slot } = create(['permission', 'catalog']);
    const pending = slot.getAuthorizer();
    slot.setAuthorizer(authorizer);
    await expect(pending).resolves.toBe(authorizer);
    await expect(slot.getAuthorizer()).resolves.toBe(authorizer);
  });

  it('stops waiting at startup when the permission plugin set none', async () => {
    const { slot, runStartupHooks } = create(['permission']);
    const pending = slot.getAuthorizer();
    runStartupHooks();
    await expect(pending).resolves.toBeUndefined();
  });

  it('keeps how each plugin applies conditions, once', async () => {
    const { slot } = create([]);
    const applier = async () => [{ result: 'DENY' as const }];
    slot.addConditionsApplier('todo', applier);
    expect(slot.getConditionsApplier('todo')).toBe(applier);
    expect(slot.getConditionsApplier('catalog')).toBeUndefined();
    expect(() => slot.addConditionsApplier('todo', applier)).toThrow(
      "Plugin 'todo' already applies permission conditions in-process; its permissions registry adds that once.",
    );
  });

  it('refuses a second authorizer', () => {
    const { slot } = create(['permission']);
    slot.setAuthorizer(authorizer);
    expect(() => slot.setAuthorizer(authorizer)).toThrow(
      "An in-process permissions authorizer is set already; only the 'permission' plugin sets one, once, from its init.",
    );
  });
});

/** A slot over a backend with these plugins, and its lifecycle's hooks. */
function create(pluginIds: string[]) {
  const hooks: Array<() => void> = [];
  const slot = DefaultRootPermissionsAuthorizerService.create({
    rootInstanceMetadata: {
      getId: () => 'test',
      getInstalledPlugins: async () =>
        pluginIds.map(pluginId => ({ pluginId, modules: [] })),
    },
    rootLifecycle: {
      addStartupHook: (hook: () => void) => hooks.push(hook),
    } as unknown as RootLifecycleService,
  });
  return { slot, runStartupHooks: () => hooks.forEach(hook => hook()) };
}
