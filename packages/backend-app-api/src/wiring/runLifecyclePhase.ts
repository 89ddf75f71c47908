import { toError } from '@plinth/errors';
import { coreServices } from '@plinth/backend-plugin-api';
import type { LifecycleHookRunner } from '../lifecycle/LifecycleHooks';
import { ServiceContractError } from './errors/ServiceContractError';

type Phase = 'startup' | 'beforeShutdown' | 'shutdown';

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
    return [toError(error)];
  }
}
