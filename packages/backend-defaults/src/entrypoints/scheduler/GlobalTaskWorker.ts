import { randomUUID } from 'node:crypto';
import { toError } from '@plinth/errors';
import { computeNextRun, formatDuration } from './taskSchedule';
import type { ClaimedRun, TaskStore } from './TaskStore';
import {
  InterruptibleSleep,
  runTask,
  taskAbortReasons,
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
// While the database is unreachable the loop waits the poll interval
// times up to this factor, doubling after each failed look.
const MAX_BACKOFF_FACTOR = 8;

/** A claim's hold on the task: its ticket and fencing token. */
interface Lease {
  ticket: string;
  fencingToken: string;
}

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
 *
 * Each claim carries a fencing token larger than every earlier claim's;
 * the holder's writes to the row require it, and the function receives it
 * to fence its own writes. A holder that sees a larger token in the row
 * aborts its run. While the database is unreachable the loop logs one
 * warning, backs off, and carries on once it answers again.
 */
export class GlobalTaskWorker implements TaskWorker {
  readonly #options: GlobalTaskWorkerOptions;
  readonly #sleep = new InterruptibleSleep();
  readonly #stop: AbortSignal;
  #currentTicket?: string;
  /** Set while a run is in progress; aborting it cancels that run. */
  #run?: AbortController;
  /** Consecutive failed looks at the row; 0 while the database answers. */
  #failures = 0;

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
    const { store, pollIntervalMs, metrics } = this.#options;
    const { id } = this.task;
    let wait: number | null | undefined;
    try {
      const ticket = randomUUID();
      const claim = await store.claim(id, ticket, this.#options.leaseGraceMs);
      this.#reachedDatabase();
      if (claim) {
        if (claim.tookOver) {
          metrics.recordTakeover(id);
        }
        await this.#runClaimed(claim, {
          ticket,
          fencingToken: claim.fencingToken,
        });
        return 0;
      }
      wait = await store.msUntilClaimable(id);
      if (wait === undefined) {
        // The row was deleted behind our back; write it again.
        await store.upsert(id, this.task.settings);
        return 0;
      }
    } catch (error) {
      return this.#missedDatabase(error);
    }
    return wait === null
      ? pollIntervalMs
      : Math.min(Math.max(wait, MIN_WAIT_MS), pollIntervalMs);
  }

  /**
   * Warns on the first failed look at the row of an outage only, so a
   * database restart does not log every poll, and returns the backed-off
   * wait before the next look.
   */
  #missedDatabase(error: unknown): number {
    const { pollIntervalMs, logger, pluginId } = this.#options;
    this.#failures += 1;
    const factor = Math.min(2 ** (this.#failures - 1), MAX_BACKOFF_FACTOR);
    const wait = pollIntervalMs * factor;
    const message = `Task '${this.task.id}' of plugin '${pluginId}' could not check its row in the database; it tries again in ${formatDuration(wait)}`;
    if (this.#failures === 1) {
      logger.warn(
        `${message}, backing off up to ${formatDuration(pollIntervalMs * MAX_BACKOFF_FACTOR)} and logging once until the database answers. Check that the database is reachable.`,
        toError(error),
      );
    } else {
      logger.debug(`${message} (failure ${this.#failures} in a row).`);
    }
    return wait;
  }

  #reachedDatabase(): void {
    if (this.#failures > 0) {
      this.#options.logger.info(
        `Task '${this.task.id}' of plugin '${this.#options.pluginId}' reached the database again after ${this.#failures} failed looks at its row.`,
      );
      this.#failures = 0;
    }
  }

  async #runClaimed(claim: ClaimedRun, lease: Lease): Promise<void> {
    const { task, pluginId, logger, shutdownSignal, store } = this.#options;
    this.#currentTicket = lease.ticket;
    const run = new AbortController();
    this.#run = run;
    const stopWatching = this.#watchLease(lease, run);
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
        context: {
          lease: {
            fencingToken: lease.fencingToken,
            isHeld: async () =>
              (await store.leaseState(task.id, lease)) === 'held',
          },
        },
        logger,
        metrics: this.#options.metrics,
      });
    } finally {
      stopWatching();
      this.#run = undefined;
    }
    if (this.#currentTicket !== lease.ticket) {
      return; // abandoned at shutdown; the lease expires on its own
    }
    this.#currentTicket = undefined;
    if (run.signal.aborted) {
      // Cancelled: cancelTask() freed the lease and set the next run; or
      // lost: the row is another claim's now.
      return;
    }
    // The database clock, estimated without another query.
    const now = new Date(claim.startedAt.getTime() + Date.now() - localStart);
    await this.#release(lease, this.#computeNextRun(claim, now));
  }

  /**
   * Looks at the lease every poll interval while a run is in progress,
   * until shutdown, and aborts the run once the lease is gone:
   * `cancelTask()` on another replica freed it, or another replica claimed
   * the task after the lease expired. A failed look is warned about once
   * per run; the run goes on, since a holder cut off from the database may
   * still hold a live lease.
   */
  #watchLease(lease: Lease, run: AbortController): () => void {
    const { store, pollIntervalMs, logger, pluginId } = this.#options;
    let warned = false;
    const timer = setInterval(() => {
      store.leaseState(this.task.id, lease).then(
        state => {
          if (state === 'held' || this.#currentTicket !== lease.ticket) {
            return;
          }
          run.abort(
            state === 'taken'
              ? taskAbortReasons.leaseLost(
                  this.task.id,
                  pluginId,
                  lease.fencingToken,
                )
              : undefined,
          );
        },
        (error: unknown) => {
          if (!warned) {
            warned = true;
            logger.warn(
              `Task '${this.task.id}' of plugin '${pluginId}' could not check its lease in the database during a run; it keeps checking every ${formatDuration(pollIntervalMs)} and warns once per run.`,
              toError(error),
            );
          }
        },
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
  async #release(lease: Lease, nextRun: Date | undefined): Promise<void> {
    const { store, pluginId, logger, leaseGraceMs } = this.#options;
    const { id } = this.task;
    let released: boolean;
    try {
      released = await store.release(id, lease, nextRun);
    } catch (error) {
      logger.warn(
        `Task '${id}' of plugin '${pluginId}' could not free its lease in the database after its run; other replicas take the task over once the lease expires. Check that the database is reachable.`,
        toError(error),
      );
      return;
    }
    if (!released) {
      logger.warn(
        `Task '${id}' of plugin '${pluginId}' finished a run after losing its lease (fencing token ${lease.fencingToken}), which expired ${formatDuration(leaseGraceMs)} after the timeout; another replica may have run the task at the same time. Make the task return soon after its signal aborts, or raise backend.scheduler.leaseGrace.`,
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
