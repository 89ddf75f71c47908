import type { LoggerService } from '@plinth/backend-plugin-api';
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
  const owners: Array<{ pluginId?: string }> = [
    ...options.pluginIds.map(pluginId => ({ pluginId })),
    {},
  ];
  const runners = await Promise.all(
    owners.map(owner => findLifecycleRunner(registry, owner.pluginId)),
  );
  const run = (index: number) =>
    runLifecyclePhase(runners[index], 'startup', owners[index].pluginId);
  const describePending = (i: number) => {
    const hooks = runners[i]?.pendingHooks?.() ?? [];
    const pluginId = owners[i].pluginId;
    return hooks.length > 0
      ? hooks
      : [pluginId ? `plugin '${pluginId}'` : 'the root'];
  };
  const describe = (seconds: number, pending: readonly number[]) =>
    `Still running startup hooks after ${seconds}s: ${pending.flatMap(describePending).join(', ')}. A hook that stays in this list never settles its promise.`;

  const pluginIndexes = options.pluginIds.map((_, i) => i);
  const pluginResults = await runWithProgress({
    items: pluginIndexes,
    run,
    describe,
    logger,
    intervalMs: options.progressIntervalMs,
  });
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
  const [rootFailures] = await runWithProgress({
    items: [owners.length - 1],
    run,
    describe,
    logger,
    intervalMs: options.progressIntervalMs,
  });
  return [...pluginFailures, ...rootFailures];
}
