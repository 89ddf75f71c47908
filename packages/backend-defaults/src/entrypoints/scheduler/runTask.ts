import type {
  LoggerService,
  SchedulerServiceTaskFunction,
} from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import { TaskAbortedError } from './TaskAbortedError';

/** What one run of a task needs. */
export interface RunTaskOptions {
  taskId: string;
  pluginId: string;
  fn: SchedulerServiceTaskFunction;
  timeoutMs: number;
  /** The timeout as written in the task's settings, for messages. */
  timeout: string;
  /** Aborted when the task's schedule is cancelled. */
  cancelSignal?: AbortSignal;
  /** Aborted when the plugin shuts down. */
  shutdownSignal: AbortSignal;
  logger: LoggerService;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs a task once with its own `AbortSignal`, which aborts when the run
 * passes its timeout, when the schedule is cancelled, or on shutdown, each
 * with a {@link TaskAbortedError} as the reason. A failure is logged with
 * the task id and never thrown, so the schedule goes on.
 */
export async function runTask(options: RunTaskOptions): Promise<void> {
  const { taskId, pluginId, logger } = options;
  const controller = new AbortController();
  const abortWith = (reason: TaskAbortedError) => () => {
    if (!controller.signal.aborted) {
      controller.abort(reason);
    }
  };
  const onCancel = abortWith(TaskAbortedError.cancelled(taskId, pluginId));
  const onShutdown = abortWith(TaskAbortedError.shutdown(taskId, pluginId));
  options.cancelSignal?.addEventListener('abort', onCancel);
  options.shutdownSignal.addEventListener('abort', onShutdown);
  const clearTimer = startTimer(options.timeoutMs, () => {
    if (controller.signal.aborted) {
      return; // already told to stop, for shutdown or cancellation
    }
    const reason = TaskAbortedError.timedOut(taskId, pluginId, options.timeout);
    logger.warn(reason.message);
    abortWith(reason)();
  });
  try {
    await options.fn(controller.signal);
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof TaskAbortedError && reason.kind !== 'timeout') {
      logger.info(
        `Task '${taskId}' of plugin '${pluginId}' stopped with an error after its signal aborted (${reason.kind}).`,
        toError(error),
      );
    } else {
      logger.error(
        `Task '${taskId}' of plugin '${pluginId}' failed; it stays scheduled and runs again at its next time. Fix the error below to make the runs succeed.`,
        toError(error),
      );
    }
  } finally {
    clearTimer();
    options.cancelSignal?.removeEventListener('abort', onCancel);
    options.shutdownSignal.removeEventListener('abort', onShutdown);
  }
}

/** A timer that also works past the 24.8 days setTimeout can count. */
function startTimer(ms: number, onTime: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const until = Date.now() + ms;
  const arm = () => {
    const remaining = until - Date.now();
    timer =
      remaining > MAX_TIMER_MS
        ? setTimeout(arm, MAX_TIMER_MS)
        : setTimeout(onTime, remaining);
  };
  arm();
  return () => clearTimeout(timer);
}
