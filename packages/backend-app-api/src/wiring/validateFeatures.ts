import {
  coreServices,
  type Config,
  type RootInstanceMetadataServicePluginInfo,
} from '@plinth/backend-plugin-api';
import {
  isExtensionPoint,
  isServiceRef,
  type ExtensionPointRegistration,
} from '@plinth/backend-plugin-api/internal';
import { toError } from '@plinth/errors';
import {
  BackendValidationError,
  dependencyCycle,
  registeredTwice,
  WiringError,
} from '../errors';
import {
  collectFeatures,
  readRegistrations,
  runFeatureLoaders,
  type AddedFeature,
  type FeatureRegistration,
} from './collectFeatures';
import {
  orderModules,
  readBootFailurePolicy,
  type BootFailurePolicy,
} from './initPlugins';
import type { ServiceRegistry } from './ServiceRegistry';
import { validateServiceGraph } from './validateServiceGraph';

/**
 * A plugin with its modules: the unit that initialises together.
 */
export interface PluginUnit {
  readonly pluginId: string;
  readonly plugin: FeatureRegistration;
  readonly modules: readonly FeatureRegistration[];
}

/**
 * An extension point together with the plugin or module that provides it.
 */
export interface ProvidedExtensionPoint {
  readonly provider: FeatureRegistration;
  readonly registration: ExtensionPointRegistration;
}

/**
 * A backend whose features fit together, ready to initialise.
 */
export interface ValidatedBackend {
  units: PluginUnit[];
  extensionPoints: Map<string, ProvidedExtensionPoint>;
  policy: BootFailurePolicy;
  installed: RootInstanceMetadataServicePluginInfo[];
}

/**
 * Turns everything given to `backend.add()` into a validated backend:
 * collects features, runs loaders, reads registrations, and checks the
 * registrations, the service graph and the boot failure policy. Every
 * problem is collected and thrown at once, before any plugin init runs.
 *
 * @throws {@link BackendValidationError} listing every problem.
 */
export async function validateFeatures(
  registry: ServiceRegistry,
  added: readonly AddedFeature[],
): Promise<ValidatedBackend> {
  const problems: Error[] = [];
  const collected = await collectFeatures(added, 'backend.add()');
  problems.push(...collected.problems);
  for (const factory of collected.features.serviceFactories) {
    const problem = registry.add(factory);
    if (problem) {
      problems.push(problem);
    }
  }
  const loaded = await runFeatureLoaders(registry, collected.features.loaders);
  problems.push(...loaded.problems);

  const read = readRegistrations([
    ...collected.features.registrations,
    ...loaded.registrations,
  ]);
  problems.push(...read.problems);
  const {
    units,
    extensionPoints,
    problems: registrationProblems,
  } = validateRegistrations(read.registrations);
  problems.push(...registrationProblems);

  const consumers = read.registrations.map(r => ({
    label: r.label,
    deps: r.init.deps,
  }));
  const requested = consumers
    .flatMap(c => Object.values(c.deps))
    .filter(isServiceRef);
  const factoryRefs = registry
    .activeFactories()
    .flatMap(f => [f.service, ...Object.values(f.deps)]);
  problems.push(
    ...(await registry.addRefDefaults([...requested, ...factoryRefs])),
  );
  problems.push(
    ...validateServiceGraph(registry, consumers, {
      includeEagerServices: true,
    }),
  );

  let config: Config | undefined;
  if (problems.length === 0 && registry.has(coreServices.rootConfig.id)) {
    try {
      config = (await registry.get(coreServices.rootConfig)) as Config;
    } catch (error) {
      problems.push(toError(error));
    }
  }
  const { policy, problems: policyProblems } = readBootFailurePolicy(
    config,
    units.map(u => ({
      pluginId: u.pluginId,
      moduleIds: u.modules.map(m => m.moduleId!),
    })),
  );
  problems.push(...policyProblems);

  if (problems.length > 0) {
    throw new BackendValidationError(problems);
  }
  const installed = units.map(unit => ({
    pluginId: unit.pluginId,
    modules: unit.modules.map(m => ({ moduleId: m.moduleId! })),
  }));
  return { units, extensionPoints, policy, installed };
}

/**
 * Checks the registrations against the engine's rules (one plugin per id,
 * one module per plugin and module id, one owner per extension point,
 * extension points used only by modules of the owning plugin, no cycles
 * among modules) and groups them into plugin units.
 */
export function validateRegistrations(
  registrations: readonly FeatureRegistration[],
): {
  units: PluginUnit[];
  extensionPoints: Map<string, ProvidedExtensionPoint>;
  problems: Error[];
} {
  const problems: Error[] = [];
  const plugins = new Map<string, FeatureRegistration>();
  const modules = new Map<string, FeatureRegistration[]>();
  const extensionPoints = new Map<string, ProvidedExtensionPoint>();

  for (const registration of registrations) {
    const { pluginId, moduleId } = registration;
    if (registration.kind === 'plugin') {
      const existing = plugins.get(pluginId);
      if (existing) {
        problems.push(
          duplicate(
            'PLUGIN_DUPLICATE',
            `Plugin '${pluginId}'`,
            existing,
            registration,
          ),
        );
        continue;
      }
      plugins.set(pluginId, registration);
    } else {
      const siblings = modules.get(pluginId) ?? [];
      const existing = siblings.find(m => m.moduleId === moduleId);
      if (existing) {
        problems.push(
          duplicate(
            'MODULE_DUPLICATE',
            `Module '${moduleId}' for plugin '${pluginId}'`,
            existing,
            registration,
          ),
        );
        continue;
      }
      modules.set(pluginId, [...siblings, registration]);
    }
    for (const entry of registration.extensionPoints) {
      const id = entry.extensionPoint.id;
      const existing = extensionPoints.get(id);
      if (existing) {
        problems.push(
          registeredTwice(
            'EXTENSION_POINT_DUPLICATE',
            `Extension point '${id}'`,
            `by the ${existing.provider.label} (${existing.provider.origin})`,
            `by the ${registration.label} (${registration.origin})`,
            'An extension point has one owner; remove one of the registrations.',
          ),
        );
        continue;
      }
      extensionPoints.set(id, { provider: registration, registration: entry });
    }
  }

  for (const [pluginId, pluginModules] of modules) {
    if (!plugins.has(pluginId)) {
      problems.push(
        ...pluginModules.map(
          m =>
            new WiringError(
              'PLUGIN_MISSING',
              `Module '${m.moduleId}' for plugin '${pluginId}' is installed, but plugin '${pluginId}' is not; add the plugin with backend.add(), or remove the module.`,
            ),
        ),
      );
    }
  }
  for (const registration of [
    ...plugins.values(),
    ...[...modules.values()].flat(),
  ]) {
    problems.push(...checkExtensionPointUse(registration, extensionPoints));
  }

  const units: PluginUnit[] = [];
  for (const [pluginId, plugin] of plugins) {
    const pluginModules = modules.get(pluginId) ?? [];
    const cycle = orderModules(pluginModules).findCycle();
    if (cycle) {
      problems.push(
        dependencyCycle(
          'MODULE_CYCLE',
          `Modules of plugin '${pluginId}'`,
          cycle.map(m => m.moduleId!),
          'Each consumes an extension point that the next registers, and a module starts only after the modules that use its extension points; move one of the extension points into the plugin or into a module of its own.',
        ),
      );
    }
    units.push({ pluginId, plugin, modules: pluginModules });
  }
  return { units, extensionPoints, problems };
}

function checkExtensionPointUse(
  registration: FeatureRegistration,
  extensionPoints: Map<string, ProvidedExtensionPoint>,
): Error[] {
  const problems: Error[] = [];
  const { pluginId, moduleId } = registration;
  for (const [name, dep] of Object.entries(registration.init.deps)) {
    if (!isExtensionPoint(dep)) {
      continue;
    }
    if (registration.kind === 'plugin') {
      problems.push(
        new WiringError(
          'EXTENSION_POINT_USED_BY_PLUGIN',
          `Plugin '${pluginId}' depends on extension point '${dep.id}' (deps.${name}), but only modules can use extension points; a plugin reads what its modules added through its own extension point implementation.`,
        ),
      );
      continue;
    }
    const provided = extensionPoints.get(dep.id);
    if (!provided) {
      problems.push(
        new WiringError(
          'EXTENSION_POINT_MISSING',
          `Extension point '${dep.id}' is required by the ${registration.label} (deps.${name}) but nothing installed registers it; install the plugin or module that provides it, or remove the module.`,
        ),
      );
    } else if (provided.provider.pluginId !== pluginId) {
      problems.push(
        new WiringError(
          'EXTENSION_POINT_OF_OTHER_PLUGIN',
          `Module '${moduleId}' for plugin '${pluginId}' consumes extension point '${dep.id}', which belongs to plugin '${provided.provider.pluginId}'. A module may only use extension points of its own plugin; depend on a service instead.`,
        ),
      );
    }
  }
  return problems;
}

function duplicate(
  code: 'PLUGIN_DUPLICATE' | 'MODULE_DUPLICATE',
  what: string,
  first: FeatureRegistration,
  second: FeatureRegistration,
): Error {
  if (first.feature === second.feature) {
    return new WiringError(
      code,
      `${what} (${first.origin}) is added twice; remove one of the backend.add() calls or feature loaders that add it.`,
    );
  }
  const [kind, option] =
    first.kind === 'plugin'
      ? ['plugins with the same id', 'pluginId']
      : ['modules with the same plugin and module id', 'moduleId'];
  return registeredTwice(
    code,
    what,
    first.origin,
    second.origin,
    `These are two different ${kind}: give one of them another ${option}, or remove the one that is not meant to be installed.`,
  );
}
