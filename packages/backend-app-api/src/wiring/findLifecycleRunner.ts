import { coreServices, type ServiceRef } from '@plinth/backend-plugin-api';
import type { LifecycleHookRunner } from '../lifecycle/LifecycleHooks';
import type { ServiceRegistry } from '../services/ServiceRegistry';

/**
 * The lifecycle service of the root (no `pluginId`) or of a plugin, if
 * anything created one; the backend drives its hooks through the
 * {@link LifecycleHookRunner} methods of that instance.
 */
export async function findLifecycleRunner(
  registry: ServiceRegistry,
  pluginId?: string,
): Promise<Partial<LifecycleHookRunner> | undefined> {
  const ref: ServiceRef<unknown> = pluginId
    ? coreServices.lifecycle
    : coreServices.rootLifecycle;
  try {
    return (await registry.getIfCreated(ref, pluginId)) as
      Partial<LifecycleHookRunner> | undefined;
  } catch {
    // Its factory failed; that failure was reported where it happened.
    return undefined;
  }
}
