import { coreServices, type ServiceRef } from '@plinth/backend-plugin-api';
import type { LifecycleHookRunner } from '../lifecycle/LifecycleHooks';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import { ServiceContractError } from './errors/ServiceContractError';

type Phase = 'startup' | 'beforeShutdown' | 'shutdown';

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

/**
 * Runs one lifecycle phase of a runner.
 *
 * @returns the failures; never rejects.
 */
export async function runLifecyclePhase(
  runner: Partial<LifecycleHookRunner> | undefined,
  phase: Phase,
  pluginId?: string,
): Promise<readonly Error[]> {
  if (!runner) {
    return [];
  }
  const run = runner[phase];
  if (typeof run !== 'function') {
    if (phase === 'beforeShutdown') {
      return [];
    }
    const ref = pluginId ? coreServices.lifecycle : coreServices.rootLifecycle;
    return [
      ServiceContractError.lifecycleWithoutRunner(ref.id, pluginId, phase),
    ];
  }
  try {
    return await run.call(runner);
  } catch (error) {
    return [error instanceof Error ? error : new Error(String(error))];
  }
}
