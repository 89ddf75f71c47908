import type { LoggerService } from '@plinth/backend-plugin-api';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import { initPlugin } from './initPlugin';
import { trackStartupProgress } from './trackStartupProgress';
import type { ValidatedBackend } from './validateFeatures';

/**
 * Initialises every plugin concurrently, logging which are still running
 * at each progress interval.
 *
 * @returns the ids of the plugins that started, and the failures that must
 *   abort the backend's start.
 */
export async function initPlugins(options: {
  backend: ValidatedBackend;
  registry: ServiceRegistry;
  logger: LoggerService;
  progressIntervalMs: number;
}): Promise<{ started: string[]; failures: Error[] }> {
  const { backend, registry, logger } = options;
  const pluginIds = backend.units.map(u => u.pluginId);
  logger.info(
    `Initializing plugins: ${pluginIds.map(id => `'${id}'`).join(', ') || 'none'}.`,
  );
  const progress = trackStartupProgress({
    pluginIds,
    logger,
    intervalMs: options.progressIntervalMs,
  });
  try {
    const results = await Promise.all(
      backend.units.map(async unit => {
        const result = await initPlugin({
          unit,
          registry,
          extensionPoints: backend.extensionPoints,
          policy: backend.policy,
          logger: logger.child({ plugin: unit.pluginId }),
        });
        progress.done(unit.pluginId);
        return { pluginId: unit.pluginId, ...result };
      }),
    );
    return {
      started: results.filter(r => r.ok).map(r => r.pluginId),
      failures: results.flatMap(r => r.failures),
    };
  } finally {
    progress.stop();
  }
}
