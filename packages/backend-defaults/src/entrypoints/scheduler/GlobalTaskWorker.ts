import { randomUUID } from 'node:crypto';
import { toError } from '@plinth/errors';
import { computeNextRun, formatDuration } from './taskSchedule';
import type { ClaimedRun, TaskStore } from './TaskStore';
import {
  InterruptibleSleep,
  runTask,
  type TaskWorker,
  type TaskWorkerOptions,
} from './TaskWorker';

/** Options of a {@link GlobalTaskWorker}. */
export interface GlobalTaskWorkerOptions extends TaskWorkerOptions {
  store: TaskStore;
  /** The longest wait between two looks at the row. */
  pollIntervalMs: number;
  /** How long the lease of a run outlasts the task's timeout. */
  leaseGraceMs: number;
}

// Floor for the wait after a failed claim, so a row in an unexpected
// state cannot make the loop spin.
const MIN_WAIT_MS = 10;

/**
 * Runs a `global` task on one replica at a time. Each replica polls the
 * task's row and runs the task only after claiming its lease. The run's
 * signal aborts at the task's timeout, but the lease lasts the timeout
 * plus a grace on the database clock, so the aborted function can return
 * before another replica may claim the task; the task moves to another
 * replica once a dead or stuck holder's lease has expired. A lease is
 * freed only once the function has settled. Between polls
 * the loop sleeps until the row says the task is due, at most the poll
 * interval, so triggers and settings from other replicas are seen within
 * that interval.
 */
export class GlobalTaskWorker implements TaskWorker {
  readonly #options: GlobalTaskWorkerOptions;
  readonly #sleep = new InterruptibleSleep();
  readonly #stop: AbortSignal;
  #currentTicket?: string;
  /** Set while a run is in progress; aborting it cancels that run. */
  #run?: AbortController;

  constructor(options: GlobalTaskWorkerOptions) {
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
    const { initialDelayMs } = this.task;
    if (
      initialDelayMs > 0 &&
      (await this.#sleep.sleep(initialDelayMs, this.#stop)) === 'aborted'
    ) {
      return;
    }
    while (!this.#stop.aborted) {
      const wait = await this.#runIfDue();
      if ((await this.#sleep.sleep(wait, this.#stop)) === 'aborted') {
        return;
      }
    }
  }

  async trigger(): Promise<void> {
    await this.#options.store.trigger(this.task.id);
    this.#sleep.wake();
  }

  async cancel(): Promise<void> {
    await this.#options.store.cancel(this.task.id);
    // When this replica holds the run, stop it now rather than at the next
    // look at the lease.
    this.#run?.abort();
  }

  abandon(): void {
    // The function may still be running, so its lease is left to expire
    // rather than freed; freeing it could start a second run elsewhere.
    this.#currentTicket = undefined;
  }

  /** Claims and runs the task if it is due; returns how long to sleep. */
  async #runIfDue(): Promise<number> {
    const { store, pollIntervalMs } = this.#options;
    const { id } = this.task;
    try {
      const ticket = randomUUID();
      const claim = await store.claim(id, ticket, this.#options.leaseGraceMs);
      if (claim) {
        await this.#runClaimed(claim, ticket);
        return 0;
      }
      const wait = await store.msUntilClaimable(id);
      if (wait === undefined) {
        // The row was deleted behind our back; write it again.
        await store.upsert(id, this.task.settings);
        return 0;
      }
      return wait === null
        ? pollIntervalMs
        : Math.min(Math.max(wait, MIN_WAIT_MS), pollIntervalMs);
    } catch (error) {
      this.#options.logger.warn(
        `Task '${id}' of plugin '${this.#options.pluginId}' could not check its row in the database; it tries again in ${formatDuration(pollIntervalMs)}.`,
        toError(error),
      );
      return pollIntervalMs;
    }
  }

  async #runClaimed(claim: ClaimedRun, ticket: string): Promise<void> {
    const { task, pluginId, logger, shutdownSignal } = this.#options;
    this.#currentTicket = ticket;
    const run = new AbortController();
    this.#run = run;
    const stopWatching = this.#watchLease(ticket, run);
    const localStart = Date.now();
    try {
      await runTask({
        taskId: task.id,
        pluginId,
        fn: task.fn,
        timeoutMs: claim.timeoutMs,
        timeout: claim.settings.timeoutAfterDuration,
        cancelSignal: task.signal,
        runCancelSignal: run.signal,
        shutdownSignal,
        logger,
      });
    } finally {
      stopWatching();
      this.#run = undefined;
    }
    if (this.#currentTicket !== ticket) {
      return; // abandoned at shutdown; the lease expires on its own
    }
    this.#currentTicket = undefined;
    if (run.signal.aborted) {
      return; // cancelled: cancelTask() freed the lease and set the next run
    }
    // The database clock, estimated without another query.
    const now = new Date(claim.startedAt.getTime() + Date.now() - localStart);
    await this.#release(ticket, this.#computeNextRun(claim, now));
  }

  /**
   * Looks at the lease every poll interval while a run is in progress,
   * until shutdown, and aborts the run once the lease is gone:
   * `cancelTask()` on another replica freed it.
   */
  #watchLease(ticket: string, run: AbortController): () => void {
    const { store, pollIntervalMs, logger, pluginId } = this.#options;
    const timer = setInterval(() => {
      store.holds(this.task.id, ticket).then(
        held => {
          if (!held && this.#currentTicket === ticket) {
            run.abort();
          }
        },
        (error: unknown) =>
          logger.warn(
            `Task '${this.task.id}' of plugin '${pluginId}' could not check its lease in the database during a run; it checks again in ${formatDuration(pollIntervalMs)}.`,
            toError(error),
          ),
      );
    }, pollIntervalMs);
    // Once shutdown begins the run is aborted anyway, and a run that
    // ignores its signal must not keep querying a pool about to close.
    const stop = () => {
      clearInterval(timer);
      this.#options.shutdownSignal.removeEventListener('abort', stop);
    };
    this.#options.shutdownSignal.addEventListener('abort', stop);
    return stop;
  }

  /** Frees the lease of a run whose function has settled. */
  async #release(ticket: string, nextRun: Date | undefined): Promise<void> {
    const { store, pluginId, logger, leaseGraceMs } = this.#options;
    const { id } = this.task;
    let released: boolean;
    try {
      released = await store.release(id, ticket, nextRun);
    } catch (error) {
      logger.warn(
        `Task '${id}' of plugin '${pluginId}' could not free its lease in the database after its run; other replicas take the task over once the lease expires. Check that the database is reachable.`,
        toError(error),
      );
      return;
    }
    if (!released) {
      logger.warn(
        `Task '${id}' of plugin '${pluginId}' finished a run after losing its lease, which expired ${formatDuration(leaseGraceMs)} after the timeout; another replica may have run the task at the same time. Make the task return soon after its signal aborts, or raise backend.scheduler.leaseGrace.`,
      );
    }
  }

  /** Follows the row's settings, or this replica's when the row's are unusable. */
  #computeNextRun(claim: ClaimedRun, now: Date): Date | undefined {
    const times = { lastStartedAt: claim.startedAt, now };
    try {
      return computeNextRun(claim.settings.cadence, times);
    } catch (error) {
      this.#options.logger.warn(
        `Task '${this.task.id}' of plugin '${this.#options.pluginId}' found settings it cannot use in its row; it follows this replica's settings instead.`,
        toError(error),
      );
      return computeNextRun(this.task.settings.cadence, times);
    }
  }
}
