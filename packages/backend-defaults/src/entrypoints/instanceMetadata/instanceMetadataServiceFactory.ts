import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import {
  instanceMetadataServiceRef,
  type BackendFeatureMeta,
} from '@plinth/backend-plugin-api/alpha';

/**
 * The default {@link @plinth/backend-plugin-api/alpha#InstanceMetadataService}:
 * the installed plugins and their modules, read once from
 * `coreServices.rootInstanceMetadata` when a plugin first asks.
 *
 * @example
 * ```ts
 * backend.add(instanceMetadataServiceFactory); // createBackend() already does
 * ```
 * @alpha
 */
export const instanceMetadataServiceFactory = createServiceFactory({
  service: instanceMetadataServiceRef,
  deps: { rootInstanceMetadata: coreServices.rootInstanceMetadata },
  factory: async ({ rootInstanceMetadata }) => {
    const features: BackendFeatureMeta[] = [];
    for (const plugin of await rootInstanceMetadata.getInstalledPlugins()) {
      features.push({ type: 'plugin', pluginId: plugin.pluginId });
      for (const { moduleId } of plugin.modules) {
        features.push({ type: 'module', pluginId: plugin.pluginId, moduleId });
      }
    }
    return { getInstalledFeatures: () => [...features] };
  },
});
