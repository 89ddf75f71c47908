import {
  isExtensionPoint,
  type ExtensionPointFactoryContext,
  type LoggerService,
} from '@plinth/backend-plugin-api';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import { FeatureStartupError } from './errors/FeatureStartupError';
import type { FeatureRegistration } from './FeatureRegistration';
import type { BootFailurePolicy } from './readBootFailurePolicy';
import type { PluginUnit, ProvidedExtensionPoint } from './PluginUnit';
import { moduleOrder } from './validateRegistrations';

/**
 * Initialises one plugin: its eager services, then its modules in
 * extension point order (independent modules concurrently), then the
 * plugin itself. Failures are handled by the boot failure policy.
 *
 * @returns `ok: false` when the plugin did not start; `failures` holds
 *   the failures that must abort the backend's start.
 */
export async function initPlugin(options: {
  unit: PluginUnit;
  registry: ServiceRegistry;
  extensionPoints: ReadonlyMap<string, ProvidedExtensionPoint>;
  policy: BootFailurePolicy;
  logger: LoggerService;
}): Promise<{ ok: boolean; failures: Error[] }> {
  const { unit, registry, extensionPoints, policy, logger } = options;
  const { pluginId } = unit;
  const failures: Error[] = [];

  const fail = (feature: FeatureRegistration, cause: unknown) => {
    const error = new FeatureStartupError(feature.label, cause);
    const action =
      feature.kind === 'plugin'
        ? policy.forPlugin(pluginId)
        : policy.forModule(pluginId, feature.moduleId!);
    if (action === 'continue') {
      logger.error(
        `${error.message} The backend starts without it because its boot failure policy is 'continue'.`,
        cause instanceof Error ? cause : { cause: String(cause) },
      );
    } else {
      failures.push(error);
    }
  };

  const resolveDeps = async (feature: FeatureRegistration) => {
    const entries = Object.entries(feature.init.deps);
    const values = await Promise.all(
      entries.map(([, dep]) => {
        if (isExtensionPoint(dep)) {
          const context: ExtensionPointFactoryContext = {
            reportModuleStartupFailure: ({ error }) => fail(feature, error),
          };
          return extensionPoints.get(dep.id)!.registration.factory(context);
        }
        const scope = registry.scopeOf(dep.id);
        return registry.get(dep, scope === 'root' ? undefined : pluginId);
      }),
    );
    return Object.fromEntries(entries.map(([name], i) => [name, values[i]]));
  };

  const init = async (feature: FeatureRegistration): Promise<boolean> => {
    try {
      await feature.init.func(await resolveDeps(feature));
      return true;
    } catch (error) {
      fail(feature, error);
      return false;
    }
  };

  try {
    await registry.createEagerPluginServices(pluginId);
  } catch (error) {
    fail(unit.plugin, error);
    return { ok: false, failures };
  }
  await moduleOrder(unit.modules).parallelTopologicalTraversal(init);
  if (failures.length > 0) {
    return { ok: false, failures };
  }
  const ok = await init(unit.plugin);
  return { ok, failures };
}
