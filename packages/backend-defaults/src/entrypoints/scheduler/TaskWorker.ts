import type {
  LoggerService,
  SchedulerServiceTaskFunction,
  SchedulerServiceTaskRunContext,
} from '@plinth/backend-plugin-api';
import { ConflictError, toError } from '@plinth/errors';
import {
  RuntimeServiceError,
  type RuntimeServiceErrorCode,
} from '../../errors';
import type { TaskMetrics, TaskRunResult } from './TaskMetrics';
import type { ParsedTaskDefinition } from './taskSchedule';

// The contract of the loop that runs a scheduled task, and what both loops
// (LocalTaskWorker, GlobalTaskWorker) are built from: one run of the task
// with its own abort signal, and the sleep between runs.

// setTimeout fires at once for delays above this, so longer waits are
// taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What every task loop is built from. */
export interface TaskWorkerOptions {
  task: ParsedTaskDefinition;
  pluginId: string;
  /** A logger whose lines carry the task id. */
  logger: LoggerService;
  /** Aborted when the plugin shuts down. */
  shutdownSignal: AbortSignal;
  metrics: TaskMetrics;
}

/** The loop that runs one scheduled task, locally or through its row. */
export interface TaskWorker {
  readonly task: ParsedTaskDefinition;
  /**
   * Runs the loop until the task's signal or the shutdown signal aborts;
   * resolves once the last run has finished, and never rejects.
   */
  start(): Promise<void>;
  /**
   * Asks for a run as soon as possible.
   * @throws {@link @plinth/errors#ConflictError} when the task is running.
   */
  trigger(): Promise<void>;
  /**
   * Aborts the run in progress, as `scheduler.cancelTask()` asks; the
   * schedule goes on.
   * @throws {@link @plinth/errors#ConflictError} when the task is not running;
   *   {@link @plinth/errors#NotFoundError} when a global task's row is gone.
   */
  cancel(): Promise<void>;
  /**
   * Gives up on a run that outlived the shutdown wait. A global task keeps
   * its lease, since its function may still be running: other replicas
   * take the task over once the lease expires.
   */
  abandon(): void;
}

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
  /**
   * Aborted when this run only must stop: `cancelTask()` cancelled it, or
   * its lease was lost. A {@link RuntimeServiceError} reason is passed on
   * to the function's signal; otherwise the run counts as cancelled.
   */
  runCancelSignal?: AbortSignal;
  /** Aborted when the plugin shuts down. */
  shutdownSignal: AbortSignal;
  /** The second argument of the function. */
  context: SchedulerServiceTaskRunContext;
  logger: LoggerService;
  metrics: TaskMetrics;
}

/**
 * Runs a task once with its own `AbortSignal`, which aborts when the run
 * passes its timeout, when the schedule or the run is cancelled, when its
 * lease is lost, or on shutdown, each with a {@link RuntimeServiceError}
 * as the reason (see {@link taskAbortReasons}). A failure is logged with
 * the task id and never thrown, so the schedule goes on. The run is
 * counted in `scheduler.task.runs` as `aborted` when its signal aborted
 * before it settled, whatever it returned.
 */
export async function runTask(options: RunTaskOptions): Promise<void> {
  const { taskId, pluginId, logger } = options;
  const controller = new AbortController();
  const abortWith = (reason: RuntimeServiceError) => () => {
    if (!controller.signal.aborted) {
      controller.abort(reason);
    }
  };
  const onCancel = abortWith(taskAbortReasons.cancelled(taskId, pluginId));
  const onShutdown = abortWith(taskAbortReasons.shutDown(taskId, pluginId));
  const onRunCancel = () => {
    const reason: unknown = options.runCancelSignal?.reason;
    abortWith(
      reason instanceof RuntimeServiceError
        ? reason
        : taskAbortReasons.runCancelled(taskId, pluginId),
    )();
  };
  if (options.runCancelSignal?.aborted) {
    onRunCancel();
  }
  options.runCancelSignal?.addEventListener('abort', onRunCancel);
  options.cancelSignal?.addEventListener('abort', onCancel);
  options.shutdownSignal.addEventListener('abort', onShutdown);
  const clearTimer = startTimer(options.timeoutMs, () => {
    if (controller.signal.aborted) {
      return; // already told to stop, for shutdown or cancellation
    }
    const reason = taskAbortReasons.timedOut(taskId, pluginId, options.timeout);
    logger.warn(reason.message);
    abortWith(reason)();
  });
  const started = performance.now();
  let result: TaskRunResult = 'succeeded';
  try {
    await options.fn(controller.signal, options.context);
  } catch (error) {
    result = 'failed';
    const reason: unknown = controller.signal.reason;
    const kind =
      reason instanceof RuntimeServiceError
        ? abortKinds[reason.code]
        : undefined;
    if (kind !== undefined && kind !== 'timeout') {
      logger.info(
        `Task '${taskId}' of plugin '${pluginId}' stopped with an error after its signal aborted (${kind}).`,
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
    options.metrics.recordRun(
      taskId,
      controller.signal.aborted ? 'aborted' : result,
      (performance.now() - started) / 1000,
    );
    options.cancelSignal?.removeEventListener('abort', onCancel);
    options.runCancelSignal?.removeEventListener('abort', onRunCancel);
    options.shutdownSignal.removeEventListener('abort', onShutdown);
  }
}

/**
 * The error `cancelTask()` throws for a task that is not running.
 */
export function notRunningError(taskId: string, pluginId: string) {
  return new ConflictError(
    `Cannot cancel task '${taskId}' of plugin '${pluginId}': it is not running. cancelTask() stops a run in progress; to stop the schedule, abort the signal passed to scheduleTask().`,
  );
}

/**
 * The reasons a run's signal aborts with, one per `SCHEDULER_TASK_*` code.
 * A task function finds it as `signal.reason`.
 */
export const taskAbortReasons = {
  /** The run took longer than the task's timeout. */
  timedOut(taskId: string, pluginId: string, timeout: string) {
    return new RuntimeServiceError(
      'SCHEDULER_TASK_TIMED_OUT',
      `Task '${taskId}' of plugin '${pluginId}' ran longer than its timeout '${timeout}', so its signal was aborted. Make the task stop when its signal aborts, and raise the timeout if the work needs longer.`,
    );
  },
  /** The `signal` given to `scheduleTask` aborted. */
  cancelled(taskId: string, pluginId: string) {
    return new RuntimeServiceError(
      'SCHEDULER_TASK_CANCELLED',
      `Task '${taskId}' of plugin '${pluginId}' was cancelled through the signal passed to scheduleTask, so its run was aborted. Schedule it again to resume it.`,
    );
  },
  /** `scheduler.cancelTask()` cancelled the run in progress. */
  runCancelled(taskId: string, pluginId: string) {
    return new RuntimeServiceError(
      'SCHEDULER_TASK_RUN_CANCELLED',
      `The run of task '${taskId}' of plugin '${pluginId}' was cancelled by cancelTask(), so its signal was aborted. The task runs again at its next time.`,
    );
  },
  /** Another replica claimed the task after this run's lease expired. */
  leaseLost(taskId: string, pluginId: string, fencingToken: string) {
    return new RuntimeServiceError(
      'SCHEDULER_TASK_LEASE_LOST',
      `Task '${taskId}' of plugin '${pluginId}' lost its lease (fencing token ${fencingToken}) to another replica, so its signal was aborted; its writes fenced by that token no longer apply. Make the task stop when its signal aborts, or raise its timeout or backend.scheduler.leaseGrace.`,
    );
  },
  /** The plugin's shutdown hooks are running. */
  shutDown(taskId: string, pluginId: string) {
    return new RuntimeServiceError(
      'SCHEDULER_TASK_SHUT_DOWN',
      `Task '${taskId}' of plugin '${pluginId}' was aborted because the plugin is shutting down. It runs again at its next time after the backend restarts.`,
    );
  },
};

/** Why a run's signal aborted, as the log line after a failed run says it. */
const abortKinds: Partial<Record<RuntimeServiceErrorCode, string>> = {
  SCHEDULER_TASK_TIMED_OUT: 'timeout',
  SCHEDULER_TASK_CANCELLED: 'cancelled',
  SCHEDULER_TASK_RUN_CANCELLED: 'run cancelled',
  SCHEDULER_TASK_LEASE_LOST: 'lease lost',
  SCHEDULER_TASK_SHUT_DOWN: 'shutdown',
};

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

/** Why {@link InterruptibleSleep.sleep} returned. */
export type SleepOutcome = 'elapsed' | 'woken' | 'aborted';

/**
 * The wait of a task loop between runs: it ends when the time is up, when
 * `wake()` is called (a trigger), or when the signal aborts (cancellation
 * or shutdown). A `wake()` while nobody sleeps is kept for the next sleep,
 * so a trigger is never lost.
 */
export class InterruptibleSleep {
  #wake?: () => void;
  #pendingWake = false;

  /** Ends the current sleep, or the next one if none is running. */
  wake(): void {
    if (this.#wake) {
      this.#wake();
    } else {
      this.#pendingWake = true;
    }
  }

  /** Sleeps for `ms` milliseconds; `Infinity` sleeps until woken or aborted. */
  async sleep(ms: number, signal: AbortSignal): Promise<SleepOutcome> {
    if (signal.aborted) {
      return 'aborted';
    }
    if (this.#pendingWake) {
      this.#pendingWake = false;
      return 'woken';
    }
    const until = Date.now() + ms;
    for (;;) {
      const remaining = until - Date.now();
      if (remaining <= 0) {
        return 'elapsed';
      }
      const outcome = await this.#sleepOnce(
        Math.min(remaining, MAX_TIMER_MS),
        signal,
      );
      if (outcome !== 'elapsed' || ms <= MAX_TIMER_MS) {
        return outcome;
      }
    }
  }

  #sleepOnce(ms: number, signal: AbortSignal): Promise<SleepOutcome> {
    return new Promise(resolve => {
      const finish = (outcome: SleepOutcome) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('elapsed'), ms);
      signal.addEventListener('abort', onAbort);
      this.#wake = () => finish('woken');
    });
  }
}
