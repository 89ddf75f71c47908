import type {
  JsonObject,
  SchedulerService,
  SchedulerServiceTaskDescriptor,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@plinth/backend-plugin-api';
import { ConflictError, NotFoundError, quoteList } from '@plinth/errors';

interface MockTask {
  descriptor: SchedulerServiceTaskDescriptor;
  fn: SchedulerServiceTaskInvocationDefinition['fn'];
  running?: Promise<void>;
  /** The signal of the run in progress. */
  run?: AbortController;
}

/**
 * A {@link @plinth/backend-plugin-api#SchedulerService} for tests: it
 * records scheduled tasks and never runs them on a timer; a test runs one
 * with `triggerTask(id)`, which resolves once the task has finished (and
 * rejects with the task's error), so tests are deterministic.
 *
 * @public
 */
export class MockSchedulerService implements SchedulerService {
  readonly #tasks = new Map<string, MockTask>();

  async triggerTask(id: string): Promise<void> {
    const task = this.#tasks.get(id);
    if (!task) {
      throw new NotFoundError(
        `No task '${id}' is scheduled; the scheduled tasks are ${this.#list()}.`,
      );
    }
    if (task.running) {
      throw new ConflictError(`Task '${id}' is already running.`);
    }
    const controller = new AbortController();
    task.run = controller;
    task.running = Promise.resolve(task.fn(controller.signal));
    try {
      await task.running;
    } finally {
      task.running = undefined;
      task.run = undefined;
    }
  }

  /**
   * Aborts the signal of a task that `triggerTask` is running; the
   * `triggerTask` call settles as the task function does.
   */
  async cancelTask(id: string): Promise<void> {
    const task = this.#tasks.get(id);
    if (!task) {
      throw new NotFoundError(
        `No task '${id}' is scheduled; the scheduled tasks are ${this.#list()}.`,
      );
    }
    if (!task.run) {
      throw new ConflictError(`Task '${id}' is not running.`);
    }
    task.run.abort();
  }

  async scheduleTask(
    task: SchedulerServiceTaskScheduleDefinition &
      SchedulerServiceTaskInvocationDefinition,
  ): Promise<void> {
    const { id, fn, signal, scope = 'global', ...schedule } = task;
    if (signal?.aborted) {
      return;
    }
    this.#tasks.set(id, {
      descriptor: {
        id,
        scope,
        settings: JSON.parse(JSON.stringify(schedule)) as JsonObject,
      },
      fn,
    });
    signal?.addEventListener('abort', () => this.#tasks.delete(id), {
      once: true,
    });
  }

  createScheduledTaskRunner(
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): SchedulerServiceTaskRunner {
    return { run: task => this.scheduleTask({ ...schedule, ...task }) };
  }

  async getScheduledTasks(): Promise<SchedulerServiceTaskDescriptor[]> {
    return [...this.#tasks.values()].map(t => t.descriptor);
  }

  #list(): string {
    const ids = [...this.#tasks.keys()];
    return ids.length === 0 ? 'none' : quoteList(ids);
  }
}
