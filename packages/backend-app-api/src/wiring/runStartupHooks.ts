import type { LoggerService } from '@plinth/backend-plugin-api';
import type { LifecycleHookRunner } from '../lifecycle/LifecycleHooks';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import type { BootFailurePolicy } from './BootFailurePolicy';
import { findLifecycleRunner } from './findLifecycleRunner';
import { runLifecyclePhase } from './runLifecyclePhase';
import { runWithProgress } from './runWithProgress';

/**
 * Runs the startup hooks of every started plugin concurrently, then the
 * root startup hooks, naming the hooks still running at each progress
 * interval. A plugin whose boot failure policy is `continue` only has its
 * hook failures logged.
 *
 * @returns the failures that must abort the start.
 */
export async function runStartupHooks(options: {
  registry: ServiceRegistry;
  pluginIds: readonly string[];
  policy: BootFailurePolicy;
  logger: LoggerService;
  progressIntervalMs: number;
}): Promise<Error[]> {
  const { registry, policy, logger } = options;
  const runPhase = async (owners: ReadonlyArray<{ pluginId?: string }>) => {
    const withRunners = await Promise.all(
      owners.map(async owner => ({
        ...owner,
        runner: await findLifecycleRunner(registry, owner.pluginId),
      })),
    );
    return runWithProgress({
      items: withRunners,
      run: owner => runLifecyclePhase(owner.runner, 'startup', owner.pluginId),
      describe: (seconds, pending) =>
        `Still running startup hooks after ${seconds}s: ${pending.flatMap(describePending).join(', ')}. A hook that stays in this list never settles its promise.`,
      logger,
      intervalMs: options.progressIntervalMs,
    });
  };

  const pluginResults = await runPhase(
    options.pluginIds.map(pluginId => ({ pluginId })),
  );
  const pluginFailures = pluginResults.flatMap((errors, i) => {
    const pluginId = options.pluginIds[i];
    if (errors.length > 0 && policy.forPlugin(pluginId) === 'continue') {
      logger.error(
        `Startup hooks of plugin '${pluginId}' failed; the backend starts anyway because its boot failure policy is 'continue'.`,
      );
      return [];
    }
    return errors;
  });
  const [rootFailures] = await runPhase([{}]);
  return [...pluginFailures, ...rootFailures];
}

/** The hooks an owner is still running, or the owner when it cannot say. */
function describePending(owner: {
  pluginId?: string;
  runner?: Partial<LifecycleHookRunner>;
}): string[] {
  const hooks = owner.runner?.pendingHooks?.() ?? [];
  if (hooks.length > 0) {
    return hooks;
  }
  return [owner.pluginId ? `plugin '${owner.pluginId}'` : 'the root'];
}
