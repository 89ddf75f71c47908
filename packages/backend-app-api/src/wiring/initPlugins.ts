import type { LoggerService } from '@plinth/backend-plugin-api';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import type { BootFailureRecorder } from './BootFailureRecorder';
import { initPlugin } from './initPlugin';
import type { PluginUnit } from './PluginUnit';
import { quoteIds } from './quoteIds';
import { runWithProgress } from './runWithProgress';
import type { ValidatedBackend } from './validateFeatures';

/**
 * Initialises every plugin concurrently, naming the plugins still
 * initialising at each progress interval.
 *
 * @returns the ids of the plugins that started.
 */
export async function initPlugins(options: {
  backend: ValidatedBackend;
  registry: ServiceRegistry;
  failures: BootFailureRecorder;
  logger: LoggerService;
  progressIntervalMs: number;
}): Promise<string[]> {
  const { backend, registry, failures, logger } = options;
  logger.info(
    `Initializing plugins: ${quoteIds(backend.units.map(u => u.pluginId)) || 'none'}.`,
  );
  const results = await runWithProgress({
    items: backend.units,
    run: async (unit: PluginUnit) => ({
      pluginId: unit.pluginId,
      ok: await initPlugin({
        unit,
        registry,
        extensionPoints: backend.extensionPoints,
        failures,
      }),
    }),
    describe: (seconds, pending) =>
      `Still initializing after ${seconds}s: ${pending.length === 1 ? 'plugin' : 'plugins'} ${quoteIds(pending.map(u => u.pluginId))}. A plugin that stays in this list is waiting on something in its init or in a service it uses.`,
    logger,
    intervalMs: options.progressIntervalMs,
  });
  return results.filter(r => r.ok).map(r => r.pluginId);
}
