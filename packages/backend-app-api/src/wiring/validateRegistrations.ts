import { isExtensionPoint } from '@plinth/backend-plugin-api';
import { orderModules } from './orderModules';
import { DependencyCycleError } from './errors/DependencyCycleError';
import { DuplicateRegistrationError } from './errors/DuplicateRegistrationError';
import { ExtensionPointAccessError } from './errors/ExtensionPointAccessError';
import { MissingExtensionPointError } from './errors/MissingExtensionPointError';
import { MissingPluginError } from './errors/MissingPluginError';
import type { FeatureRegistration } from './FeatureRegistration';
import type { PluginUnit, ProvidedExtensionPoint } from './PluginUnit';

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
          duplicate(`Plugin '${pluginId}'`, existing, registration),
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
          new DuplicateRegistrationError(
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
          m => new MissingPluginError(pluginId, m.moduleId!),
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
        new DependencyCycleError(
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
  for (const [name, dep] of Object.entries(registration.init.deps)) {
    if (!isExtensionPoint(dep)) {
      continue;
    }
    if (registration.kind === 'plugin') {
      problems.push(
        ExtensionPointAccessError.consumedByPlugin(
          registration.pluginId,
          dep.id,
          name,
        ),
      );
      continue;
    }
    const provided = extensionPoints.get(dep.id);
    if (!provided) {
      problems.push(
        new MissingExtensionPointError(
          dep.id,
          `the ${registration.label}`,
          name,
        ),
      );
    } else if (provided.provider.pluginId !== registration.pluginId) {
      problems.push(
        ExtensionPointAccessError.consumedAcrossPlugins({
          moduleId: registration.moduleId!,
          pluginId: registration.pluginId,
          extensionPointId: dep.id,
          ownerPluginId: provided.provider.pluginId,
        }),
      );
    }
  }
  return problems;
}

function duplicate(
  what: string,
  first: FeatureRegistration,
  second: FeatureRegistration,
): Error {
  return new DuplicateRegistrationError(
    what,
    first.origin,
    second.origin,
    'Add each plugin and module once.',
  );
}
