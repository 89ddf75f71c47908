import { ConflictError } from '@plinth/errors';
import { computeNextRun, isCronCadence } from './taskSchedule';
import {
  InterruptibleSleep,
  notRunningError,
  runTask,
  type TaskWorker,
  type TaskWorkerOptions,
} from './TaskWorker';

/**
 * Runs a `local` task with in-process timers, on every replica that
 * schedules it. An interval counts from the start of the previous run; a
 * run that takes longer than the interval is followed at once by the next.
 */
export class LocalTaskWorker implements TaskWorker {
  readonly #options: TaskWorkerOptions;
  readonly #sleep = new InterruptibleSleep();
  readonly #stop: AbortSignal;
  /** Set while a run is in progress; aborting it cancels that run. */
  #run?: AbortController;
  #triggered = false;
  #plannedAt = 0;

  constructor(options: TaskWorkerOptions) {
    this.#options = options;
    const { signal } = options.task;
    this.#stop = signal
      ? AbortSignal.any([options.shutdownSignal, signal])
      : options.shutdownSignal;
  }

  get task() {
    return this.#options.task;
  }

  async start(): Promise<void> {
    const { task } = this.#options;
    if (
      task.initialDelayMs > 0 &&
      (await this.#sleep.sleep(task.initialDelayMs, this.#stop)) === 'aborted'
    ) {
      return;
    }
    let lastStartedAt: Date | undefined;
    while (!this.#stop.aborted) {
      if (!this.#triggered) {
        const wait = this.#msUntilNextRun(lastStartedAt);
        if ((await this.#sleep.sleep(wait, this.#stop)) === 'aborted') {
          return;
        }
      }
      this.#triggered = false;
      lastStartedAt = new Date();
      this.#run = new AbortController();
      try {
        await runTask({
          taskId: task.id,
          pluginId: this.#options.pluginId,
          fn: task.fn,
          timeoutMs: task.timeoutMs,
          timeout: task.settings.timeoutAfterDuration,
          cancelSignal: task.signal,
          runCancelSignal: this.#run.signal,
          shutdownSignal: this.#options.shutdownSignal,
          context: {},
          logger: this.#options.logger,
          metrics: this.#options.metrics,
        });
      } finally {
        this.#run = undefined;
      }
    }
  }

  async trigger(): Promise<void> {
    if (this.#run) {
      throw new ConflictError(
        `Cannot trigger task '${this.task.id}' of plugin '${this.#options.pluginId}': it is running. Wait for the run to finish, then trigger it again.`,
      );
    }
    this.#triggered = true;
    this.#sleep.wake();
  }

  async cancel(): Promise<void> {
    if (!this.#run) {
      throw notRunningError(this.task.id, this.#options.pluginId);
    }
    this.#run.abort();
  }

  abandon(): void {
    // Nothing outlives the process for a local task.
  }

  #msUntilNextRun(lastStartedAt: Date | undefined): number {
    const { cadence } = this.task.settings;
    if (cadence === 'manual') {
      return Infinity;
    }
    const now = Date.now();
    if (!isCronCadence(cadence)) {
      return lastStartedAt === undefined
        ? 0
        : computeNextRun(cadence, {
            lastStartedAt,
            now: new Date(now),
          })!.getTime() - now;
    }
    // A timer may fire a hair before the cron time it waited for; counting
    // from that time, not from the clock, keeps it from running twice.
    const next = computeNextRun(cadence, {
      lastStartedAt: new Date(now),
      now: new Date(Math.max(now, this.#plannedAt)),
    })!;
    this.#plannedAt = next.getTime();
    return next.getTime() - now;
  }
}
