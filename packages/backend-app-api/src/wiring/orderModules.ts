import { isExtensionPoint } from '@plinth/backend-plugin-api';
import { DependencyGraph } from '../graph/DependencyGraph';
import type { FeatureRegistration } from './FeatureRegistration';

/**
 * Orders a plugin's modules so that a module providing an extension point
 * starts after every module that consumes it: consumers register their
 * additions during init, and the provider may act on them in its own init.
 */
export function orderModules(
  modules: readonly FeatureRegistration[],
): DependencyGraph<FeatureRegistration> {
  return DependencyGraph.fromIterable(
    modules.map(module => ({
      value: module,
      provides: Object.values(module.init.deps)
        .filter(isExtensionPoint)
        .map(ep => ep.id),
      consumes: module.extensionPoints.map(e => e.extensionPoint.id),
    })),
  );
}
