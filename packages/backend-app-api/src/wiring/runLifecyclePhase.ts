import { coreServices, type ServiceRef } from '@plinth/backend-plugin-api';
import type { LifecycleHookRunner } from '../lifecycle/LifecycleHooks';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import { ServiceContractError } from './errors/ServiceContractError';

type Phase = 'startup' | 'beforeShutdown' | 'shutdown';

/**
 * Runs one lifecycle phase for the root (no `pluginId`) or for a plugin,
 * through the lifecycle service instance, if anything created one. The
 * backend drives the hooks through the {@link LifecycleHookRunner} methods
 * of that instance.
 *
 * @returns the failures; never rejects.
 */
export async function runLifecyclePhase(
  registry: ServiceRegistry,
  phase: Phase,
  pluginId?: string,
): Promise<readonly Error[]> {
  const ref: ServiceRef<unknown> = pluginId
    ? coreServices.lifecycle
    : coreServices.rootLifecycle;
  const pending = registry.getIfCreated(ref, pluginId);
  if (!pending) {
    return [];
  }
  let instance: Partial<LifecycleHookRunner>;
  try {
    instance = (await pending) as Partial<LifecycleHookRunner>;
  } catch {
    return [];
  }
  const run = instance[phase];
  if (typeof run !== 'function') {
    if (phase === 'beforeShutdown') {
      return [];
    }
    return [
      new ServiceContractError(
        `Service '${ref.id}'${pluginId ? ` for plugin '${pluginId}'` : ''} has no ${phase}() method, so the backend cannot run its hooks; build the implementation on LifecycleHooks from '@plinth/backend-app-api'.`,
      ),
    ];
  }
  try {
    return await run.call(instance);
  } catch (error) {
    return [error instanceof Error ? error : new Error(String(error))];
  }
}
