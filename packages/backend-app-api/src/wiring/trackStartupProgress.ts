import type { LoggerService } from '@plinth/backend-plugin-api';

/**
 * Logs, at a fixed interval, which plugins are still initialising, so that
 * a plugin whose init hangs is named instead of the backend just going
 * quiet.
 */
export function trackStartupProgress(options: {
  pluginIds: readonly string[];
  logger: LoggerService;
  intervalMs: number;
}): { done(pluginId: string): void; stop(): void } {
  const { logger, intervalMs } = options;
  const pending = new Set(options.pluginIds);
  const startedAt = Date.now();
  const timer = setInterval(() => {
    if (pending.size === 0) {
      return;
    }
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    const names = [...pending].map(id => `'${id}'`).join(', ');
    const plugins = pending.size === 1 ? 'plugin' : 'plugins';
    logger.warn(
      `Still initializing after ${seconds}s: ${plugins} ${names}. A plugin that stays in this list is waiting on something in its init or in a service it uses.`,
    );
  }, intervalMs);
  timer.unref?.();
  return {
    done: pluginId => pending.delete(pluginId),
    stop: () => clearInterval(timer),
  };
}
