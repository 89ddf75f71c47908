import { mockServices, TestDatabases } from '@plinth/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@plinth/errors';
import type { Knex } from 'knex';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import { SCHEDULER_TASKS_TABLE } from './TaskStore';
import { taskProbes, waitUntil } from './taskProbes.fixture';

const { holdRun, triggerWhenIdle } = taskProbes;

const lifecycles: Array<ReturnType<typeof mockServices.lifecycle>> = [];

afterEach(async () => {
  // Stops the loops of a test that failed before its own shutdown.
  await Promise.all(lifecycles.splice(0).map(l => l.shutdown()));
});

/** The error a promise rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

function createScheduler(knex?: Knex) {
  const lifecycle = mockServices.lifecycle();
  lifecycles.push(lifecycle);
  const scheduler = DefaultSchedulerService.create({
    database: {
      getClient: () =>
        knex
          ? Promise.resolve(knex)
          : Promise.reject(new Error('local tasks must not use the database')),
      migrations: { skip: true },
    },
    logger: mockServices.rootLogger(),
    lifecycle,
    pluginMetadata: { getId: () => 'catalog' },
    rootConfig: mockServices.rootConfig({
      data: { backend: { scheduler: { pollInterval: 'PT0.05S' } } },
    }),
  });
  return { scheduler, lifecycle };
}

describe('DefaultSchedulerService.cancelTask', () => {
  describe('local tasks', () => {
    it('aborts the run in progress with its reason and keeps the schedule', async () => {
      const { scheduler, lifecycle } = createScheduler();
      const gate = holdRun();
      await scheduler.scheduleTask({
        id: 'sync',
        scope: 'local',
        frequency: { trigger: 'manual' },
        timeout: 'PT10S',
        fn: gate.fn,
      });
      await lifecycle.startup();
      await scheduler.triggerTask('sync');
      await gate.started;
      await scheduler.cancelTask('sync');
      const reason = await gate.aborted;
      expect(reason.code).toBe('SCHEDULER_TASK_RUN_CANCELLED');
      expect(reason.message).toBe(
        "The run of task 'sync' of plugin 'catalog' was cancelled by cancelTask(), so its signal was aborted. The task runs again at its next time.",
      );
      await triggerWhenIdle(() => scheduler.triggerTask('sync'));
      await waitUntil(() => gate.runs === 2);
      await lifecycle.shutdown();
    });

    it('rejects a task that is not running', async () => {
      const { scheduler, lifecycle } = createScheduler();
      await scheduler.scheduleTask({
        id: 'sync',
        scope: 'local',
        frequency: { trigger: 'manual' },
        timeout: 'PT10S',
        fn: () => {},
      });
      await lifecycle.startup();
      const error = await rejectionOf(scheduler.cancelTask('sync'));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        "Cannot cancel task 'sync' of plugin 'catalog': it is not running. cancelTask() stops a run in progress; to stop the schedule, abort the signal passed to scheduleTask().",
      );
      await lifecycle.shutdown();
    });

    it('rejects an id that is not a string', async () => {
      const { scheduler } = createScheduler();
      const error = await rejectionOf(
        scheduler.cancelTask(42 as unknown as string),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        "Cannot cancel a task of plugin 'catalog': the id is number 42. Pass the id the task was scheduled with.",
      );
    });
  });

  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('global tasks on %s', id => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(id);
    });

    it('frees the lease, aborts the run and keeps the task due at its next time', async () => {
      const { scheduler, lifecycle } = createScheduler(knex);
      const gate = holdRun();
      await scheduler.scheduleTask({
        id: 'sync',
        frequency: { hours: 1 },
        timeout: 'PT10M',
        fn: gate.fn,
      });
      await lifecycle.startup();
      await gate.started;
      await scheduler.cancelTask('sync');
      await expect(gate.aborted).resolves.toMatchObject({
        code: 'SCHEDULER_TASK_RUN_CANCELLED',
      });
      const [row] = await knex(SCHEDULER_TASKS_TABLE)
        .where({ id: 'sync' })
        .select(
          'current_run_ticket',
          knex.raw(
            'CAST(EXTRACT(EPOCH FROM (next_run_start_at - now())) / 60 AS float8) AS minutes_until_due',
          ),
        );
      expect(row.current_run_ticket).toBeNull();
      expect(row.minutes_until_due).toBeGreaterThan(58);
      await lifecycle.shutdown();
    });

    it('cancels a run held by another replica, which aborts it at its next look at the lease', async () => {
      const holder = createScheduler(knex);
      const other = createScheduler(knex);
      const gate = holdRun();
      await holder.scheduler.scheduleTask({
        id: 'sync',
        frequency: { trigger: 'manual' },
        timeout: 'PT10M',
        fn: gate.fn,
      });
      await holder.lifecycle.startup();
      await holder.scheduler.triggerTask('sync');
      await gate.started;
      // The other replica never scheduled the task: it finds the run by
      // its row.
      await other.scheduler.cancelTask('sync');
      await expect(gate.aborted).resolves.toMatchObject({
        code: 'SCHEDULER_TASK_RUN_CANCELLED',
      });
      await triggerWhenIdle(() => holder.scheduler.triggerTask('sync'));
      await waitUntil(() => gate.runs === 2);
      await holder.lifecycle.shutdown();
    });

    it('rejects an unknown task and a task that is not running', async () => {
      const { scheduler, lifecycle } = createScheduler(knex);
      await scheduler.scheduleTask({
        id: 'sync',
        frequency: { trigger: 'manual' },
        timeout: 'PT10M',
        fn: () => {},
      });
      await lifecycle.startup();
      const notRunning = await rejectionOf(scheduler.cancelTask('sync'));
      expect(notRunning).toBeInstanceOf(ConflictError);
      expect(notRunning.message).toBe(
        "Cannot cancel task 'sync' of plugin 'catalog': it is not running. cancelTask() stops a run in progress; to stop the schedule, abort the signal passed to scheduleTask().",
      );
      const unknown = await rejectionOf(scheduler.cancelTask('nope'));
      expect(unknown).toBeInstanceOf(NotFoundError);
      expect(unknown.message).toBe(
        "Cannot cancel task 'nope' of plugin 'catalog': no task with this id is scheduled. Check the id against getScheduledTasks().",
      );
      await lifecycle.shutdown();
    });
  });
});
