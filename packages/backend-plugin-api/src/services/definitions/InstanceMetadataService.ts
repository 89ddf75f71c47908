import { createServiceRef } from '../createServiceRef';

/**
 * One feature installed in this backend instance: a plugin, or a module
 * of a plugin.
 *
 * @alpha
 */
export type BackendFeatureMeta =
  | { readonly type: 'plugin'; readonly pluginId: string }
  | {
      readonly type: 'module';
      readonly pluginId: string;
      readonly moduleId: string;
    };

/**
 * The features installed in this backend instance, for a plugin; the
 * older, plugin-scoped form of `coreServices.rootInstanceMetadata`, kept
 * because Backstage's `createBackend()` still provides it.
 *
 * @alpha
 */
export interface InstanceMetadataService {
  /** Every plugin, followed by its modules, in installation order. */
  getInstalledFeatures(): BackendFeatureMeta[];
}

/**
 * The {@link InstanceMetadataService}, with Backstage's id
 * `core.instanceMetadata`.
 *
 * @alpha
 */
export const instanceMetadataServiceRef =
  createServiceRef<InstanceMetadataService>({
    id: 'core.instanceMetadata',
  });
