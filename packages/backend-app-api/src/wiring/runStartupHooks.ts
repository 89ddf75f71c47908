import type { LoggerService } from '@plinth/backend-plugin-api';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import type { BootFailurePolicy } from './readBootFailurePolicy';
import { runLifecyclePhase } from './runLifecyclePhase';

/**
 * Runs the startup hooks of every started plugin concurrently, then the
 * root startup hooks. A plugin whose boot failure policy is `continue`
 * only has its hook failures logged.
 *
 * @returns the failures that must abort the start.
 */
export async function runStartupHooks(options: {
  registry: ServiceRegistry;
  pluginIds: readonly string[];
  policy: BootFailurePolicy;
  logger: LoggerService;
}): Promise<Error[]> {
  const { registry, policy, logger } = options;
  const pluginFailures = await Promise.all(
    options.pluginIds.map(async pluginId => {
      const errors = await runLifecyclePhase(registry, 'startup', pluginId);
      if (errors.length > 0 && policy.forPlugin(pluginId) === 'continue') {
        logger.error(
          `Startup hooks of plugin '${pluginId}' failed; the backend starts anyway because its boot failure policy is 'continue'.`,
        );
        return [];
      }
      return errors;
    }),
  );
  const rootFailures = await runLifecyclePhase(registry, 'startup');
  return [...pluginFailures.flat(), ...rootFailures];
}
