import type {
  Config,
  DatabaseService,
  LifecycleService,
  LoggerService,
  PluginMetadataService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskDescriptor,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@plinth/backend-plugin-api';
import type { MetricsService } from '@plinth/backend-plugin-api/alpha';
import {
  ConflictError,
  describeValue,
  ForwardedError,
  InputError,
  ServiceUnavailableError,
  toError,
} from '@plinth/errors';
import { readDurationFromConfig } from '../../config';
import { GlobalTaskWorker } from './GlobalTaskWorker';
import { LocalTaskWorker } from './LocalTaskWorker';
import { TaskMetrics } from './TaskMetrics';
import {
  formatDuration,
  parseTaskDefinition,
  parseTaskSchedule,
  type ParsedTaskDefinition,
} from './taskSchedule';
import { migrateSchedulerTables, TaskStore } from './TaskStore';
import type { TaskWorker } from './TaskWorker';

/**
 * What {@link DefaultSchedulerService.create} needs: the services the
 * scheduler factory depends on.
 *
 * @public
 */
export interface DefaultSchedulerServiceOptions {
  /** The plugin's database, which holds the rows of its global tasks. */
  database: DatabaseService;
  logger: LoggerService;
  /** Tasks start with its startup hooks and stop with its shutdown hooks. */
  lifecycle: LifecycleService;
  pluginMetadata: PluginMetadataService;
  /**
   * Read for `backend.scheduler.pollInterval`, `shutdownTimeout` and
   * `leaseGrace`.
   */
  rootConfig: RootConfigService;
  /**
   * The plugin's meter, for `scheduler.task.runs`,
   * `scheduler.task.duration` and `scheduler.task.lease_takeovers`.
   * @defaultValue nothing is recorded
   */
  metrics?: MetricsService;
}

/**
 * The scheduler of one plugin. Global tasks live as rows in the plugin's
 * database and run on one replica at a time under a lease; local tasks
 * run on timers in every replica. No task runs before the plugin's
 * startup hooks; at shutdown every task's signal aborts and running tasks
 * are awaited for a bounded time. A global task whose function has not
 * returned by then keeps its lease until the lease expires, so no other
 * replica runs it meanwhile.
 *
 * @public
 */
export class DefaultSchedulerService implements SchedulerService {
  readonly #pluginId: string;
  readonly #logger: LoggerService;
  readonly #database: DatabaseService;
  readonly #config: SchedulerConfig;
  readonly #shutdown = new AbortController();
  readonly #metrics: TaskMetrics;
  /** Scheduled and not cancelled, by id; `null` while its row is written. */
  readonly #tasks = new Map<string, TaskWorker | null>();
  /** Loops in progress, including cancelled tasks still finishing a run. */
  readonly #loops = new Map<TaskWorker, Promise<void>>();
  #waitingForStartup: TaskWorker[] | undefined = [];
  #store?: Promise<TaskStore>;

  /**
   * Creates the scheduler of a plugin and adds its startup and shutdown
   * hooks.
   *
   * @example
   * ```ts
   * const scheduler = DefaultSchedulerService.create({
   *   database, logger, lifecycle, pluginMetadata, rootConfig,
   * });
   * await scheduler.scheduleTask({
   *   id: 'refresh', frequency: { minutes: 5 }, timeout: { minutes: 1 },
   *   fn: async signal => refresh(signal),
   * });
   * ```
   * @throws {@link @plinth/backend-defaults#InvalidConfigError} when `backend.scheduler` holds an
   *   invalid duration.
   */
  static create(options: DefaultSchedulerServiceOptions) {
    return new DefaultSchedulerService(options);
  }

  private constructor(options: DefaultSchedulerServiceOptions) {
    this.#pluginId = options.pluginMetadata.getId();
    this.#logger = options.logger;
    this.#database = options.database;
    this.#config = readSchedulerConfig(options.rootConfig);
    this.#metrics = new TaskMetrics(options.metrics);
    options.lifecycle.addStartupHook(() => this.#startWaitingTasks(), {
      name: 'start scheduled tasks',
    });
    options.lifecycle.addShutdownHook(() => this.#stopAllTasks(), {
      name: 'stop scheduled tasks',
    });
  }

  /**
   * Schedules a task; it first runs after the plugin has started.
   *
   * @throws {@link @plinth/errors#InputError} when the definition is
   *   invalid; {@link @plinth/errors#ConflictError} when the id is already
   *   scheduled in this plugin; {@link @plinth/errors#ServiceUnavailableError}
   *   once the plugin is shutting down.
   */
  async scheduleTask(
    task: SchedulerServiceTaskScheduleDefinition &
      SchedulerServiceTaskInvocationDefinition,
  ): Promise<void> {
    const parsed = parseTaskDefinition(task, this.#pluginId);
    const { id } = parsed;
    if (this.#shutdown.signal.aborted) {
      throw new ServiceUnavailableError(
        `Cannot schedule task '${id}' of plugin '${this.#pluginId}': the plugin is shutting down. Schedule tasks while the plugin initialises or runs.`,
      );
    }
    if (this.#tasks.has(id)) {
      throw new ConflictError(
        `Cannot schedule task '${id}' of plugin '${this.#pluginId}': a task with this id is already scheduled. Use another id, or cancel the first task through its signal before scheduling it again.`,
      );
    }
    if (parsed.signal?.aborted) {
      return;
    }
    this.#tasks.set(id, null);
    let worker: TaskWorker;
    try {
      worker = await this.#createWorker(parsed);
    } catch (error) {
      this.#tasks.delete(id);
      throw error;
    }
    this.#tasks.set(id, worker);
    parsed.signal?.addEventListener(
      'abort',
      () => {
        if (this.#tasks.get(id) === worker) {
          this.#tasks.delete(id);
        }
      },
      { once: true },
    );
    this.#logger.info(
      `Scheduled ${parsed.scope} task '${id}' of plugin '${this.#pluginId}': ${JSON.stringify(parsed.settings)}`,
    );
    if (this.#waitingForStartup) {
      this.#waitingForStartup.push(worker);
    } else {
      this.#startLoop(worker);
    }
  }

  /**
   * Returns a runner that schedules tasks with a fixed schedule.
   *
   * @throws {@link @plinth/errors#InputError} when the schedule is invalid.
   */
  createScheduledTaskRunner(
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): SchedulerServiceTaskRunner {
    parseTaskSchedule(schedule, this.#pluginId);
    return {
      run: task => this.scheduleTask({ ...task, ...schedule }),
    };
  }

  /**
   * Runs a task as soon as possible: a local task in this process, a
   * global task on whichever replica claims it first.
   *
   * @throws {@link @plinth/errors#NotFoundError} when no task has the id;
   *   {@link @plinth/errors#ConflictError} when the task is running;
   *   {@link @plinth/errors#InputError} when the id is not a string.
   */
  async triggerTask(id: string): Promise<void> {
    if (typeof id !== 'string') {
      throw new InputError(
        `Cannot trigger a task of plugin '${this.#pluginId}': the id is ${describeValue(id)}. Pass the id the task was scheduled with.`,
      );
    }
    const worker = this.#tasks.get(id);
    if (worker) {
      await worker.trigger();
      return;
    }
    // Another replica may have scheduled a global task that this one has not.
    const store = await this.#getStore();
    await store.trigger(id);
  }

  /**
   * Cancels the run of a task in progress: its signal aborts with a
   * `SCHEDULER_TASK_RUN_CANCELLED` reason and the task runs again at its
   * next time. A global task's run is cancelled on whichever replica holds
   * it; that replica aborts it within its poll interval.
   *
   * @throws {@link @plinth/errors#NotFoundError} when no task has the id;
   *   {@link @plinth/errors#ConflictError} when the task is not running;
   *   {@link @plinth/errors#InputError} when the id is not a string.
   */
  async cancelTask(id: string): Promise<void> {
    if (typeof id !== 'string') {
      throw new InputError(
        `Cannot cancel a task of plugin '${this.#pluginId}': the id is ${describeValue(id)}. Pass the id the task was scheduled with.`,
      );
    }
    const worker = this.#tasks.get(id);
    if (worker) {
      await worker.cancel();
      return;
    }
    // Another replica may have scheduled a global task that this one has not.
    const store = await this.#getStore();
    await store.cancel(id);
  }

  /** Lists the tasks this plugin has scheduled in this process. */
  async getScheduledTasks(): Promise<SchedulerServiceTaskDescriptor[]> {
    return [...this.#tasks.values()]
      .filter((w): w is TaskWorker => w !== null)
      .map(({ task }) => ({
        id: task.id,
        scope: task.scope,
        settings: { ...task.settings },
      }));
  }

  async #createWorker(task: ParsedTaskDefinition): Promise<TaskWorker> {
    const options = {
      task,
      pluginId: this.#pluginId,
      logger: this.#logger.child({ task: task.id }),
      shutdownSignal: this.#shutdown.signal,
      metrics: this.#metrics,
    };
    if (task.scope === 'local') {
      return new LocalTaskWorker(options);
    }
    const store = await this.#getStore();
    try {
      await store.upsert(task.id, task.settings);
    } catch (error) {
      throw new ForwardedError(
        `Cannot schedule task '${task.id}' of plugin '${this.#pluginId}': writing its row to the plugin's database failed. Check that the database is reachable.`,
        error,
      );
    }
    return new GlobalTaskWorker({
      ...options,
      store,
      pollIntervalMs: this.#config.pollIntervalMs,
      leaseGraceMs: this.#config.leaseGraceMs,
    });
  }

  #getStore(): Promise<TaskStore> {
    if (!this.#store) {
      const store = (async () => {
        const knex = await this.#database.getClient();
        await migrateSchedulerTables(knex, { pluginId: this.#pluginId });
        return new TaskStore(knex, this.#pluginId);
      })();
      // A failure is not remembered, so the next task tries again.
      store.catch(() => {
        if (this.#store === store) {
          this.#store = undefined;
        }
      });
      this.#store = store;
    }
    return this.#store;
  }

  #startWaitingTasks(): void {
    const waiting = this.#waitingForStartup ?? [];
    this.#waitingForStartup = undefined;
    waiting.forEach(worker => this.#startLoop(worker));
  }

  #startLoop(worker: TaskWorker): void {
    const loop = worker
      .start()
      .catch(error =>
        this.#logger.error(
          `The loop of task '${worker.task.id}' of plugin '${this.#pluginId}' stopped unexpectedly; the task no longer runs in this process. Restart the backend and report the error below.`,
          toError(error),
        ),
      )
      .finally(() => {
        this.#loops.delete(worker);
        if (this.#tasks.get(worker.task.id) === worker) {
          this.#tasks.delete(worker.task.id);
        }
      });
    this.#loops.set(worker, loop);
  }

  async #stopAllTasks(): Promise<void> {
    this.#shutdown.abort();
    this.#waitingForStartup = undefined;
    const loops = [...this.#loops];
    const finished = new Set<TaskWorker>();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(
        loops.map(([worker, loop]) => loop.then(() => finished.add(worker))),
      ),
      new Promise(resolve => {
        timer = setTimeout(resolve, this.#config.shutdownTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const stuck = loops
      .map(([worker]) => worker)
      .filter(worker => !finished.has(worker));
    for (const worker of stuck) {
      this.#logger.warn(
        `Task '${worker.task.id}' of plugin '${this.#pluginId}' did not stop within ${formatDuration(this.#config.shutdownTimeoutMs)} after its signal aborted for shutdown; the plugin stops without waiting for it. Make the task return soon after its signal aborts.`,
      );
    }
    stuck.forEach(worker => worker.abandon());
    this.#tasks.clear();
  }
}

/** The scheduler's settings from `backend.scheduler`. */
export interface SchedulerConfig {
  /** The longest a global task's loop waits before it looks at its row. */
  pollIntervalMs: number;
  /** How long shutdown waits for running tasks after aborting them. */
  shutdownTimeoutMs: number;
  /**
   * How long a global task's lease outlasts its timeout, so that a run
   * whose signal aborted at the timeout can return before another replica
   * may claim the task.
   */
  leaseGraceMs: number;
}

const DEFAULTS: SchedulerConfig = {
  pollIntervalMs: 5_000,
  shutdownTimeoutMs: 10_000,
  leaseGraceMs: 10_000,
};

/**
 * Reads `backend.scheduler.pollInterval`,
 * `backend.scheduler.shutdownTimeout` and `backend.scheduler.leaseGrace`:
 * milliseconds, a HumanDuration object or an ISO 8601 string, each longer
 * than zero.
 *
 * @throws {@link @plinth/backend-defaults#InvalidConfigError} when a value is not such a duration.
 */
export function readSchedulerConfig(config: Config): SchedulerConfig {
  const read = (name: string) =>
    readDurationFromConfig(config, `backend.scheduler.${name}`, {
      allowZero: false,
    });
  return {
    pollIntervalMs: read('pollInterval') ?? DEFAULTS.pollIntervalMs,
    shutdownTimeoutMs: read('shutdownTimeout') ?? DEFAULTS.shutdownTimeoutMs,
    leaseGraceMs: read('leaseGrace') ?? DEFAULTS.leaseGraceMs,
  };
}
