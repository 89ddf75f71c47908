import {
  isExtensionPoint,
  isServiceRef,
  type ExtensionPointFactoryContext,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import type { BootFailureRecorder } from './BootFailureRecorder';
import type { FeatureRegistration } from './FeatureRegistration';
import type { PluginUnit, ProvidedExtensionPoint } from './PluginUnit';
import { orderModules } from './orderModules';

/**
 * Initialises one plugin: its eager services, then its modules in
 * extension point order (independent modules concurrently), then the
 * plugin itself. Failures go to the recorder, which applies the boot
 * failure policy; a module failure that aborts skips the plugin's init.
 *
 * @returns whether the plugin started.
 */
export async function initPlugin(options: {
  unit: PluginUnit;
  registry: ServiceRegistry;
  extensionPoints: ReadonlyMap<string, ProvidedExtensionPoint>;
  failures: BootFailureRecorder;
}): Promise<boolean> {
  const { unit, registry, extensionPoints, failures } = options;
  const { pluginId } = unit;
  let aborted = false;
  const fail = (feature: FeatureRegistration, cause: unknown) => {
    if (failures.report(feature, cause) === 'abort') {
      aborted = true;
    }
  };

  // Services come from the registry; each extension point from its
  // factory, called once for this feature so reports name the feature.
  const resolveDeps = async (feature: FeatureRegistration) => {
    const entries = Object.entries(feature.init.deps);
    const services = await registry.getDeps(
      Object.fromEntries(
        entries.filter(([, dep]) => isServiceRef(dep)),
      ) as Record<string, ServiceRef<unknown>>,
      pluginId,
    );
    const context: ExtensionPointFactoryContext = {
      reportModuleStartupFailure: ({ error }) => fail(feature, error),
    };
    const extensions = entries
      .filter(([, dep]) => isExtensionPoint(dep))
      .map(([name, dep]): [string, unknown] => [
        name,
        extensionPoints.get(dep.id)!.registration.factory(context),
      ]);
    return { ...services, ...Object.fromEntries(extensions) };
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
    return false;
  }
  await orderModules(unit.modules).parallelTopologicalTraversal(init);
  if (aborted) {
    return false;
  }
  return init(unit.plugin);
}
