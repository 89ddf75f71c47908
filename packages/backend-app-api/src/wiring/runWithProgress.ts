import type { LoggerService } from '@plinth/backend-plugin-api';

/**
 * Runs one task per item concurrently and, at a fixed interval, logs what
 * is still running, so that a step that hangs is named instead of the
 * backend just going quiet. `describe` renders the warning for the items
 * still pending, and may name more than the item itself, such as the hooks
 * a plugin is running.
 *
 * When a task fails, it still waits for the others to settle before it
 * rejects with the first failure, so that whatever they create (a server,
 * a pool) exists by the time the backend shuts down, and is closed then.
 */
export async function runWithProgress<T, R>(options: {
  items: readonly T[];
  run(item: T): Promise<R>;
  describe(seconds: number, pending: readonly T[]): string;
  logger: LoggerService;
  intervalMs: number;
}): Promise<R[]> {
  const { items, logger } = options;
  const pending = new Set(items);
  const startedAt = Date.now();
  const timer = setInterval(() => {
    if (pending.size > 0) {
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      logger.warn(options.describe(seconds, [...pending]));
    }
  }, options.intervalMs);
  timer.unref?.();
  try {
    const settled = await Promise.allSettled(
      items.map(async item => {
        try {
          return await options.run(item);
        } finally {
          pending.delete(item);
        }
      }),
    );
    const failed = settled.find(r => r.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
    return settled.map(r => (r as PromiseFulfilledResult<R>).value);
  } finally {
    clearInterval(timer);
  }
}
