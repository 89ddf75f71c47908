import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@plinth/errors';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import { taskProbes, waitUntil } from './taskProbes.fixture';

const { countRuns, holdRun, triggerWhenIdle } = taskProbes;

describe('DefaultSchedulerService', () => {
  afterEach(async () => {
    jest.useRealTimers();
    // Stops the loops of a test that failed before its own shutdown.
    await Promise.all(lifecycles.splice(0).map(l => l.shutdown()));
  });

  describe('local tasks', () => {
    it('runs nothing before the plugin has started', async () => {
      const { scheduler, lifecycle } = createScheduler();
      const counter = countRuns();
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: 'PT0.02S',
        timeout: 'PT1S',
        fn: counter.fn,
      });
      await new Promise(resolve => setTimeout(resolve, 100));
      expect(counter.runs).toBe(0);
      await lifecycle.startup();
      await counter.waitForRuns(3);
      await lifecycle.shutdown();
    });

    it('runs an interval task again after each interval', async () => {
      jest.useFakeTimers();
      const { scheduler, lifecycle } = createScheduler();
      const counter = countRuns();
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: { seconds: 10 },
        timeout: { seconds: 1 },
        fn: counter.fn,
      });
      await lifecycle.startup();
      await jest.advanceTimersByTimeAsync(0);
      expect(counter.runs).toBe(1);
      await jest.advanceTimersByTimeAsync(9_999);
      expect(counter.runs).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(counter.runs).toBe(2);
      await lifecycle.shutdown();
    });

    it('waits for the initial delay before the first run', async () => {
      jest.useFakeTimers();
      const { scheduler, lifecycle } = createScheduler();
      const counter = countRuns();
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: { minutes: 10 },
        initialDelay: { seconds: 30 },
        timeout: { seconds: 1 },
        fn: counter.fn,
      });
      await lifecycle.startup();
      await jest.advanceTimersByTimeAsync(29_999);
      expect(counter.runs).toBe(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(counter.runs).toBe(1);
      await lifecycle.shutdown();
    });

    it('runs a cron task at its cron times', async () => {
      jest.useFakeTimers({ now: new Date('2024-01-01T00:00:00.500Z') });
      const { scheduler, lifecycle } = createScheduler();
      const counter = countRuns();
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: { cron: '*/10 * * * * *' },
        timeout: { seconds: 1 },
        fn: counter.fn,
      });
      await lifecycle.startup();
      await jest.advanceTimersByTimeAsync(9_499);
      expect(counter.runs).toBe(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(counter.runs).toBe(1);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(counter.runs).toBe(2);
      await lifecycle.shutdown();
    });

    it('runs a manual task only when triggered', async () => {
      const { scheduler, lifecycle } = createScheduler();
      const counter = countRuns();
      await scheduler.scheduleTask({
        id: 'reindex',
        scope: 'local',
        frequency: { trigger: 'manual' },
        timeout: 'PT1S',
        fn: counter.fn,
      });
      await lifecycle.startup();
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(counter.runs).toBe(0);
      await scheduler.triggerTask('reindex');
      await counter.waitForRuns(1);
      await triggerWhenIdle(() => scheduler.triggerTask('reindex'));
      await counter.waitForRuns(2);
      await lifecycle.shutdown();
    });

    it('rejects triggering with an id that is not a string', async () => {
      const { scheduler } = createScheduler();
      await expect(
        scheduler.triggerTask(42 as unknown as string),
      ).rejects.toThrow(
        new InputError(
          "Cannot trigger a task of plugin 'catalog': the id is number 42. Pass the id the task was scheduled with.",
        ),
      );
    });

    it('runs a task triggered before startup once the plugin has started', async () => {
      const { scheduler, lifecycle } = createScheduler();
      const counter = countRuns();
      await scheduler.scheduleTask({
        id: 'reindex',
        scope: 'local',
        frequency: { trigger: 'manual' },
        timeout: 'PT1S',
        fn: counter.fn,
      });
      await scheduler.triggerTask('reindex');
      expect(counter.runs).toBe(0);
      await lifecycle.startup();
      await counter.waitForRuns(1);
      await lifecycle.shutdown();
    });

    it('rejects triggering a task while it runs', async () => {
      const { scheduler, lifecycle } = createScheduler();
      const gate = holdRun();
      await scheduler.scheduleTask({
        id: 'reindex',
        scope: 'local',
        frequency: { trigger: 'manual' },
        timeout: 'PT10S',
        fn: gate.fn,
      });
      await lifecycle.startup();
      await scheduler.triggerTask('reindex');
      await gate.started;
      await expect(scheduler.triggerTask('reindex')).rejects.toThrow(
        new ConflictError(
          "Cannot trigger task 'reindex' of plugin 'catalog': it is running. Wait for the run to finish, then trigger it again.",
        ),
      );
      gate.release();
      await lifecycle.shutdown();
    });

    it('aborts the signal of a run that passes its timeout', async () => {
      const { scheduler, lifecycle, logger } = createScheduler();
      const gate = holdRun();
      await scheduler.scheduleTask({
        id: 'slow',
        scope: 'local',
        frequency: { hours: 1 },
        timeout: { milliseconds: 50 },
        fn: gate.fn,
      });
      await lifecycle.startup();
      expect((await gate.aborted).code).toBe('SCHEDULER_TASK_TIMED_OUT');
      expect(logger.messages('warn')).toEqual([
        "Task 'slow' of plugin 'catalog' ran longer than its timeout 'PT0.05S', so its signal was aborted. Make the task stop when its signal aborts, and raise the timeout if the work needs longer.",
      ]);
      await lifecycle.shutdown();
    });

    it('keeps the schedule of a task that fails and logs each failure with the task id', async () => {
      const { scheduler, lifecycle, logger } = createScheduler();
      const counter = countRuns(() => {
        throw new Error('upstream returned 502');
      });
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: 'PT0.02S',
        timeout: 'PT1S',
        fn: counter.fn,
      });
      await lifecycle.startup();
      await counter.waitForRuns(3);
      await lifecycle.shutdown();
      const failures = logger.lines.filter(l => l.level === 'error');
      expect(failures.length).toBeGreaterThanOrEqual(3);
      expect(failures[0]).toMatchObject({
        message:
          "Task 'refresh' of plugin 'catalog' failed; it stays scheduled and runs again at its next time. Fix the error below to make the runs succeed.",
        fields: { task: 'refresh' },
        meta: new Error('upstream returned 502'),
      });
    });

    it('stops the schedule and aborts the run when the task signal aborts', async () => {
      const { scheduler, lifecycle } = createScheduler();
      const cancel = new AbortController();
      const gate = holdRun();
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: 'PT0.02S',
        timeout: 'PT10S',
        fn: gate.fn,
        signal: cancel.signal,
      });
      await lifecycle.startup();
      await gate.started;
      cancel.abort();
      expect((await gate.aborted).code).toBe('SCHEDULER_TASK_CANCELLED');
      await expect(scheduler.getScheduledTasks()).resolves.toEqual([]);
      await new Promise(resolve => setTimeout(resolve, 100));
      expect(gate.runs).toBe(1);
      await lifecycle.shutdown();
    });

    it('schedules an id again once its first task was cancelled', async () => {
      const { scheduler, lifecycle } = createScheduler();
      const cancel = new AbortController();
      const task = {
        id: 'refresh',
        scope: 'local' as const,
        frequency: { trigger: 'manual' as const },
        timeout: 'PT1S',
        fn: () => {},
      };
      await scheduler.scheduleTask({ ...task, signal: cancel.signal });
      cancel.abort();
      await scheduler.scheduleTask(task);
      await expect(scheduler.getScheduledTasks()).resolves.toHaveLength(1);
      await lifecycle.shutdown();
    });

    it('schedules nothing when the task signal has already aborted', async () => {
      const { scheduler, lifecycle } = createScheduler();
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: 'PT1S',
        timeout: 'PT1S',
        fn: () => {},
        signal: AbortSignal.abort(),
      });
      await expect(scheduler.getScheduledTasks()).resolves.toEqual([]);
      await lifecycle.shutdown();
    });
  });

  describe('shutdown', () => {
    it('aborts running tasks and waits for them to return', async () => {
      const { scheduler, lifecycle } = createScheduler();
      const gate = holdRun();
      let returned = false;
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: { hours: 1 },
        timeout: 'PT10S',
        fn: async signal => {
          await gate.fn(signal);
          await new Promise(resolve => setTimeout(resolve, 20));
          returned = true;
        },
      });
      await lifecycle.startup();
      await gate.started;
      await lifecycle.shutdown();
      expect((await gate.aborted).code).toBe('SCHEDULER_TASK_SHUT_DOWN');
      expect(returned).toBe(true);
    });

    it('stops waiting for a task that ignores its signal after the shutdown timeout', async () => {
      const { scheduler, lifecycle, logger } = createScheduler({
        shutdownTimeout: { milliseconds: 50 },
      });
      let started = false;
      await scheduler.scheduleTask({
        id: 'stubborn',
        scope: 'local',
        frequency: { hours: 1 },
        timeout: 'PT0.2S',
        fn: () => {
          started = true;
          return new Promise<void>(() => {});
        },
      });
      await lifecycle.startup();
      await waitUntil(() => started);
      await lifecycle.shutdown();
      expect(logger.messages('warn')).toEqual([
        "Task 'stubborn' of plugin 'catalog' did not stop within PT0.05S after its signal aborted for shutdown; the plugin stops without waiting for it. Make the task return soon after its signal aborts.",
      ]);
    });

    it('rejects scheduling once the plugin is shutting down', async () => {
      const { scheduler, lifecycle } = createScheduler();
      await lifecycle.shutdown();
      await expect(
        scheduler.scheduleTask({
          id: 'late',
          scope: 'local',
          frequency: 'PT1S',
          timeout: 'PT1S',
          fn: () => {},
        }),
      ).rejects.toThrow(
        new ServiceUnavailableError(
          "Cannot schedule task 'late' of plugin 'catalog': the plugin is shutting down. Schedule tasks while the plugin initialises or runs.",
        ),
      );
    });
  });

  describe('scheduleTask', () => {
    it('rejects an invalid task with an InputError naming the task and plugin', async () => {
      const { scheduler } = createScheduler();
      const rejection = scheduler.scheduleTask({
        id: 'refresh',
        frequency: { cron: 'every day' },
        timeout: 'PT1M',
        fn: () => {},
      });
      await expect(rejection).rejects.toBeInstanceOf(InputError);
      await expect(rejection).rejects.toThrow(
        new InputError(
          "Cannot schedule task 'refresh' of plugin 'catalog': frequency { cron: 'every day' } is not a valid cron expression (it has 2 fields); use five or six fields, such as { cron: '*/5 * * * *' }.",
        ),
      );
    });

    it('rejects a second task with an id already scheduled', async () => {
      const { scheduler } = createScheduler();
      const task = {
        id: 'refresh',
        scope: 'local' as const,
        frequency: 'PT1M',
        timeout: 'PT1M',
        fn: () => {},
      };
      await scheduler.scheduleTask(task);
      await expect(scheduler.scheduleTask(task)).rejects.toThrow(
        new ConflictError(
          "Cannot schedule task 'refresh' of plugin 'catalog': a task with this id is already scheduled. Use another id, or cancel the first task through its signal before scheduling it again.",
        ),
      );
    });

    it('logs each scheduled task with its settings', async () => {
      const { scheduler, logger } = createScheduler();
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: { minutes: 5 },
        timeout: { minutes: 1 },
        fn: () => {},
      });
      expect(logger.messages('info')).toEqual([
        `Scheduled local task 'refresh' of plugin 'catalog': {"version":1,"cadence":"PT5M","timeoutAfterDuration":"PT1M"}`,
      ]);
    });
  });

  describe('getScheduledTasks', () => {
    it('lists the tasks of this plugin with their scope and settings', async () => {
      const { scheduler } = createScheduler();
      await scheduler.scheduleTask({
        id: 'refresh',
        scope: 'local',
        frequency: { cron: '0 * * * *' },
        timeout: { minutes: 1 },
        initialDelay: { seconds: 10 },
        fn: () => {},
      });
      await expect(scheduler.getScheduledTasks()).resolves.toEqual([
        {
          id: 'refresh',
          scope: 'local',
          settings: {
            version: 1,
            cadence: '0 * * * *',
            timeoutAfterDuration: 'PT1M',
            initialDelayDuration: 'PT10S',
          },
        },
      ]);
    });
  });

  describe('createScheduledTaskRunner', () => {
    it('schedules each task it runs with its schedule', async () => {
      const { scheduler } = createScheduler();
      const runner = scheduler.createScheduledTaskRunner({
        scope: 'local',
        frequency: { minutes: 5 },
        timeout: { minutes: 1 },
      });
      await runner.run({ id: 'a', fn: () => {} });
      await runner.run({ id: 'b', fn: () => {} });
      const tasks = await scheduler.getScheduledTasks();
      expect(tasks.map(t => [t.id, t.settings.cadence])).toEqual([
        ['a', 'PT5M'],
        ['b', 'PT5M'],
      ]);
    });

    it('rejects an invalid schedule when the runner is created', () => {
      const { scheduler } = createScheduler();
      expect(() =>
        scheduler.createScheduledTaskRunner({
          frequency: { minutes: 5 },
          timeout: { minutes: -1 },
        }),
      ).toThrow(
        new InputError(
          `Cannot create a task runner for plugin 'catalog': timeout {"minutes":-1} is not a duration; use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'.`,
        ),
      );
    });
  });
});

const lifecycles: Array<ReturnType<typeof mockServices.lifecycle>> = [];

function createScheduler(schedulerConfig: JsonObject = {}) {
  const lifecycle = mockServices.lifecycle();
  lifecycles.push(lifecycle);
  const logger = mockServices.rootLogger();
  const scheduler = DefaultSchedulerService.create({
    // Local tasks never touch the database; this one fails if they try.
    database: {
      getClient: () =>
        Promise.reject(new Error('local tasks must not use the database')),
    },
    logger,
    lifecycle,
    pluginMetadata: { getId: () => 'catalog' },
    rootConfig: mockServices.rootConfig({
      data: { backend: { scheduler: schedulerConfig } },
    }),
  });
  return { scheduler, lifecycle, logger };
}
