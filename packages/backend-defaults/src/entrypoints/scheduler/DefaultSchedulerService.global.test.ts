import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices, TestDatabases } from '@plinth/backend-test-utils';
import { ConflictError, NotFoundError } from '@plinth/errors';
import type { Knex } from 'knex';
import { computeNextRun } from './taskSchedule';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import { SCHEDULER_MIGRATIONS_TABLE, SCHEDULER_TASKS_TABLE } from './TaskStore';
import { taskProbes, waitUntil } from './taskProbes.fixture';

const { countRuns, holdRun, triggerWhenIdle } = taskProbes;

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'DefaultSchedulerService on %s',
  id => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(id);
    });

    afterEach(async () => {
      // Stops the loops of a test that failed before its own shutdown.
      await Promise.all(lifecycles.splice(0).map(l => l.shutdown()));
    });

    describe('database', () => {
      it('creates its table with its own migrations table even when the plugin skips migrations', async () => {
        const replica = createReplica(knex);
        await replica.scheduler.scheduleTask(manualTask('sync', () => {}));
        await expect(knex.schema.hasTable(SCHEDULER_TASKS_TABLE)).resolves.toBe(
          true,
        );
        await expect(
          knex(SCHEDULER_MIGRATIONS_TABLE).pluck('name'),
        ).resolves.toEqual([
          '20250601000000_create_tasks',
          '20261206000000_add_fencing_token',
        ]);
        await expect(knex.schema.hasTable('knex_migrations')).resolves.toBe(
          false,
        );
      });

      it('makes a new task due only after its initial delay', async () => {
        const replica = createReplica(knex);
        await replica.scheduler.scheduleTask({
          id: 'sync',
          frequency: { hours: 1 },
          initialDelay: { hours: 1 },
          timeout: 'PT1M',
          fn: () => {},
        });
        await expect(minutesUntilDue(knex, 'sync')).resolves.toBeGreaterThan(
          59,
        );
      });

      it('makes a new cron task due at its first cron time', async () => {
        const before = await databaseNow(knex);
        const replica = createReplica(knex);
        await replica.scheduler.scheduleTask({
          id: 'yearly',
          frequency: { cron: '0 0 1 1 *' },
          timeout: 'PT1M',
          fn: () => {},
        });
        const row = await readRow(knex, 'yearly');
        expect(row.next_run_start_at).toEqual(
          computeNextRun('0 0 1 1 *', { lastStartedAt: before, now: before }),
        );
      });
    });

    describe('global tasks', () => {
      it('runs a task and records in its row when it is due next', async () => {
        const replica = createReplica(knex);
        const counter = countRuns();
        await replica.scheduler.scheduleTask({
          id: 'sync',
          frequency: { hours: 1 },
          timeout: 'PT1M',
          fn: counter.fn,
        });
        await replica.lifecycle.startup();
        await counter.waitForRuns(1);
        await waitUntil(
          async () => (await readRow(knex, 'sync')).current_run_ticket === null,
        );
        await expect(minutesUntilDue(knex, 'sync')).resolves.toBeGreaterThan(
          59,
        );
        await replica.lifecycle.shutdown();
        expect(counter.runs).toBe(1);
      });

      it('runs a manual task only when triggered, through its row', async () => {
        const replica = createReplica(knex);
        const counter = countRuns();
        await replica.scheduler.scheduleTask(manualTask('sync', counter.fn));
        await replica.lifecycle.startup();
        expect((await readRow(knex, 'sync')).next_run_start_at).toBeNull();
        await replica.scheduler.triggerTask('sync');
        await counter.waitForRuns(1);
        await triggerWhenIdle(() => replica.scheduler.triggerTask('sync'));
        await counter.waitForRuns(2);
        await replica.lifecycle.shutdown();
      });

      it('triggers a task that only another replica has scheduled', async () => {
        const owner = createReplica(knex);
        const other = createReplica(knex);
        const counter = countRuns();
        await owner.scheduler.scheduleTask(manualTask('sync', counter.fn));
        await owner.lifecycle.startup();
        await other.scheduler.triggerTask('sync');
        await counter.waitForRuns(1);
        await owner.lifecycle.shutdown();
      });

      it('rejects triggering an id that no replica has scheduled', async () => {
        const replica = createReplica(knex);
        await expect(replica.scheduler.triggerTask('missing')).rejects.toThrow(
          new NotFoundError(
            "Cannot trigger task 'missing' of plugin 'catalog': no task with this id is scheduled. Check the id against getScheduledTasks().",
          ),
        );
      });

      it('rejects triggering a task while a replica runs it', async () => {
        const replica = createReplica(knex);
        const gate = holdRun();
        await replica.scheduler.scheduleTask(manualTask('sync', gate.fn));
        await replica.lifecycle.startup();
        await replica.scheduler.triggerTask('sync');
        await gate.started;
        const rejection = replica.scheduler.triggerTask('sync');
        await expect(rejection).rejects.toBeInstanceOf(ConflictError);
        await expect(rejection).rejects.toThrow(
          "Cannot trigger task 'sync' of plugin 'catalog': it is running on this or another replica. Wait for the run to finish, then trigger it again.",
        );
        gate.release();
        await replica.lifecycle.shutdown();
      });

      it('aborts the signal of a run that passes its timeout and frees the lease', async () => {
        const replica = createReplica(knex);
        const gate = holdRun();
        await replica.scheduler.scheduleTask({
          id: 'slow',
          frequency: { hours: 1 },
          timeout: { milliseconds: 100 },
          fn: gate.fn,
        });
        await replica.lifecycle.startup();
        expect((await gate.aborted).code).toBe('SCHEDULER_TASK_TIMED_OUT');
        await waitUntil(
          async () => (await readRow(knex, 'slow')).current_run_ticket === null,
        );
        await replica.lifecycle.shutdown();
      });

      it('keeps the lease of a run past its timeout until its function returns', async () => {
        const replica = createReplica(knex);
        const other = createReplica(knex);
        const gate = holdRun({ ignoreAbort: true });
        await replica.scheduler.scheduleTask({
          id: 'slow',
          frequency: { hours: 1 },
          timeout: { milliseconds: 100 },
          fn: gate.fn,
        });
        await replica.lifecycle.startup();
        expect((await gate.aborted).code).toBe('SCHEDULER_TASK_TIMED_OUT');
        const row = await readRow(knex, 'slow');
        expect(row.current_run_ticket).not.toBeNull();
        await expect(
          secondsUntilLeaseExpires(knex, 'slow'),
        ).resolves.toBeGreaterThan(5);
        await expect(
          other.scheduler.triggerTask('slow'),
        ).rejects.toBeInstanceOf(ConflictError);
        gate.release();
        await waitUntil(
          async () => (await readRow(knex, 'slow')).current_run_ticket === null,
        );
        await replica.lifecycle.shutdown();
        expect(replica.logger.messages('warn')).toEqual([
          "Task 'slow' of plugin 'catalog' ran longer than its timeout 'PT0.1S', so its signal was aborted. Make the task stop when its signal aborts, and raise the timeout if the work needs longer.",
        ]);
      });

      it('makes the lease last the timeout plus the lease grace', async () => {
        const replica = createReplica(knex, { leaseGrace: { minutes: 30 } });
        const gate = holdRun();
        await replica.scheduler.scheduleTask({
          id: 'sync',
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          fn: gate.fn,
        });
        await replica.lifecycle.startup();
        await gate.started;
        const minutes = (await secondsUntilLeaseExpires(knex, 'sync')) / 60;
        expect(minutes).toBeGreaterThan(39);
        expect(minutes).toBeLessThanOrEqual(40);
        gate.release();
        await replica.lifecycle.shutdown();
      });

      it('warns when a run finishes after another replica took its expired lease', async () => {
        const replica = createReplica(knex);
        const counter = countRuns();
        await replica.scheduler.scheduleTask(
          manualTask('sync', async () => {
            counter.fn();
            // What a replica that claimed the expired lease would write.
            await knex(SCHEDULER_TASKS_TABLE)
              .where({ id: 'sync' })
              .update({ current_run_ticket: 'other-replica' });
          }),
        );
        await replica.lifecycle.startup();
        await replica.scheduler.triggerTask('sync');
        await counter.waitForRuns(1);
        await waitUntil(
          async () => replica.logger.messages('warn').length >= 1,
        );
        await replica.lifecycle.shutdown();
        expect(replica.logger.lines).toContainEqual({
          level: 'warn',
          message:
            "Task 'sync' of plugin 'catalog' finished a run after losing its lease (fencing token 1), which expired PT10S after the timeout; another replica may have run the task at the same time. Make the task return soon after its signal aborts, or raise backend.scheduler.leaseGrace.",
          fields: { task: 'sync' },
        });
        expect((await readRow(knex, 'sync')).current_run_ticket).toBe(
          'other-replica',
        );
      });

      it('keeps the schedule of a task that fails', async () => {
        const replica = createReplica(knex);
        const counter = countRuns(() => {
          throw new Error('upstream returned 502');
        });
        await replica.scheduler.scheduleTask({
          id: 'sync',
          frequency: { milliseconds: 20 },
          timeout: 'PT1S',
          fn: counter.fn,
        });
        await replica.lifecycle.startup();
        await counter.waitForRuns(3);
        await replica.lifecycle.shutdown();
        expect(
          replica.logger.lines.find(l => l.level === 'error'),
        ).toMatchObject({
          message:
            "Task 'sync' of plugin 'catalog' failed; it stays scheduled and runs again at its next time. Fix the error below to make the runs succeed.",
          fields: { task: 'sync' },
        });
      });

      it('stops its schedule when the task signal aborts', async () => {
        const replica = createReplica(knex);
        const cancel = new AbortController();
        const gate = holdRun();
        await replica.scheduler.scheduleTask({
          id: 'sync',
          frequency: { milliseconds: 20 },
          timeout: 'PT10S',
          fn: gate.fn,
          signal: cancel.signal,
        });
        await replica.lifecycle.startup();
        await gate.started;
        cancel.abort();
        expect((await gate.aborted).code).toBe('SCHEDULER_TASK_CANCELLED');
        await waitUntil(
          async () => (await readRow(knex, 'sync')).current_run_ticket === null,
        );
        await new Promise(resolve => setTimeout(resolve, 100));
        expect(gate.runs).toBe(1);
        await expect(replica.scheduler.getScheduledTasks()).resolves.toEqual(
          [],
        );
        await replica.lifecycle.shutdown();
      });
    });

    describe('database failures', () => {
      it('forwards a failure to write the row of a new task', async () => {
        const replica = createReplica(knex);
        await replica.scheduler.scheduleTask(manualTask('first', () => {}));
        await knex.schema.dropTable(SCHEDULER_TASKS_TABLE);
        await expect(
          replica.scheduler.scheduleTask(manualTask('second', () => {})),
        ).rejects.toMatchObject({
          message:
            "Cannot schedule task 'second' of plugin 'catalog': writing its row to the plugin's database failed. Check that the database is reachable.",
          cause: expect.objectContaining({ code: '42P01' }),
        });
      });

      it('asks for the database again after getting it failed', async () => {
        const getClient = jest
          .fn<Promise<Knex>, []>()
          .mockRejectedValueOnce(new Error('database not ready'))
          .mockResolvedValue(knex);
        const replica = createReplica(knex);
        const scheduler = DefaultSchedulerService.create({
          database: { getClient },
          logger: replica.logger,
          lifecycle: replica.lifecycle,
          pluginMetadata: { getId: () => 'catalog' },
          rootConfig: mockServices.rootConfig(),
        });
        await expect(
          scheduler.scheduleTask(manualTask('sync', () => {})),
        ).rejects.toThrow('database not ready');
        await scheduler.scheduleTask(manualTask('sync', () => {}));
        expect(getClient).toHaveBeenCalledTimes(2);
      });

      it('warns once per outage, backs off, and says when the database answers again', async () => {
        const replica = createReplica(knex);
        await replica.scheduler.scheduleTask(manualTask('sync', () => {}));
        await knex.schema.renameTable(SCHEDULER_TASKS_TABLE, 'moved_away');
        await replica.lifecycle.startup();
        await waitUntil(() => replica.logger.messages('debug').length >= 2);
        await knex.schema.renameTable('moved_away', SCHEDULER_TASKS_TABLE);
        await waitUntil(() =>
          replica.logger
            .messages('info')
            .some(m => m.includes('reached the database again')),
        );
        await replica.lifecycle.shutdown();
        expect(
          replica.logger.lines.filter(l => l.level === 'warn'),
        ).toMatchObject([
          {
            message:
              "Task 'sync' of plugin 'catalog' could not check its row in the database; it tries again in PT0.05S, backing off up to PT0.4S and logging once until the database answers. Check that the database is reachable.",
            fields: { task: 'sync' },
          },
        ]);
        expect(replica.logger.messages('debug').slice(0, 2)).toEqual([
          "Task 'sync' of plugin 'catalog' could not check its row in the database; it tries again in PT0.1S (failure 2 in a row).",
          "Task 'sync' of plugin 'catalog' could not check its row in the database; it tries again in PT0.2S (failure 3 in a row).",
        ]);
      });

      it('logs a failure to free the lease after a run with the task id', async () => {
        const replica = createReplica(knex);
        const counter = countRuns();
        await replica.scheduler.scheduleTask(
          manualTask('sync', async () => {
            counter.fn();
            await knex.schema.dropTable(SCHEDULER_TASKS_TABLE);
          }),
        );
        await replica.lifecycle.startup();
        await replica.scheduler.triggerTask('sync');
        await counter.waitForRuns(1);
        await waitUntil(
          async () => replica.logger.messages('warn').length >= 1,
        );
        await replica.lifecycle.shutdown();
        expect(
          replica.logger.lines.find(l => l.level === 'warn'),
        ).toMatchObject({
          message:
            "Task 'sync' of plugin 'catalog' could not free its lease in the database after its run; other replicas take the task over once the lease expires. Check that the database is reachable.",
          fields: { task: 'sync' },
          meta: expect.objectContaining({ code: '42P01' }),
        });
      });

      it('writes the row again when it was deleted', async () => {
        const replica = createReplica(knex);
        await replica.scheduler.scheduleTask(manualTask('sync', () => {}));
        await replica.lifecycle.startup();
        await knex(SCHEDULER_TASKS_TABLE).delete();
        await waitUntil(
          async () =>
            (await knex(SCHEDULER_TASKS_TABLE).pluck('id')).length > 0,
        );
        await replica.lifecycle.shutdown();
      });

      it("follows this replica's settings when the row's cadence is unusable", async () => {
        const replica = createReplica(knex);
        const counter = countRuns();
        await replica.scheduler.scheduleTask({
          id: 'sync',
          frequency: { hours: 1 },
          initialDelay: { hours: 1 },
          timeout: 'PT1M',
          fn: counter.fn,
        });
        await knex(SCHEDULER_TASKS_TABLE).update({
          settings_json: JSON.stringify({
            version: 1,
            cadence: 'PT0S',
            timeoutAfterDuration: 'PT1M',
          }),
          next_run_start_at: knex.fn.now(),
        });
        await replica.lifecycle.startup();
        await replica.scheduler.triggerTask('sync');
        await counter.waitForRuns(1);
        await waitUntil(async () =>
          replica.logger
            .messages('warn')
            .includes(
              "Task 'sync' of plugin 'catalog' found settings it cannot use in its row; it follows this replica's settings instead.",
            ),
        );
        await replica.lifecycle.shutdown();
        await expect(minutesUntilDue(knex, 'sync')).resolves.toBeGreaterThan(
          59,
        );
      });
    });

    describe('settings', () => {
      it('writes new settings to the row and makes the task due by them', async () => {
        const first = createReplica(knex);
        await first.scheduler.scheduleTask(manualTask('sync', () => {}));
        await first.lifecycle.shutdown();
        expect((await readRow(knex, 'sync')).next_run_start_at).toBeNull();

        const second = createReplica(knex);
        const counter = countRuns();
        await second.scheduler.scheduleTask({
          id: 'sync',
          frequency: { milliseconds: 50 },
          timeout: 'PT1S',
          fn: counter.fn,
        });
        expect(JSON.parse((await readRow(knex, 'sync')).settings_json)).toEqual(
          {
            version: 1,
            cadence: 'PT0.05S',
            timeoutAfterDuration: 'PT1S',
          },
        );
        await second.lifecycle.startup();
        await counter.waitForRuns(2);
        await second.lifecycle.shutdown();
      });

      it('keeps the due time when a replica schedules the same settings again', async () => {
        const task = {
          id: 'sync',
          frequency: { hours: 1 },
          initialDelay: { hours: 1 },
          timeout: 'PT1M',
          fn: () => {},
        };
        await createReplica(knex).scheduler.scheduleTask(task);
        const due = (await readRow(knex, 'sync')).next_run_start_at;
        await createReplica(knex).scheduler.scheduleTask(task);
        expect((await readRow(knex, 'sync')).next_run_start_at).toEqual(due);
      });

      it('moves the due time earlier when new settings make the task due sooner', async () => {
        await createReplica(knex).scheduler.scheduleTask({
          id: 'sync',
          frequency: { hours: 1 },
          initialDelay: { hours: 1 },
          timeout: 'PT1M',
          fn: () => {},
        });
        await createReplica(knex).scheduler.scheduleTask({
          id: 'sync',
          frequency: { hours: 1 },
          timeout: 'PT1M',
          fn: () => {},
        });
        await expect(minutesUntilDue(knex, 'sync')).resolves.toBeLessThan(1);
      });
    });

    describe('shutdown', () => {
      it('frees the lease and records the next run when a running task stops', async () => {
        const replica = createReplica(knex);
        const gate = holdRun();
        await replica.scheduler.scheduleTask({
          id: 'sync',
          frequency: { hours: 1 },
          timeout: 'PT10S',
          fn: gate.fn,
        });
        await replica.lifecycle.startup();
        await gate.started;
        await replica.lifecycle.shutdown();
        expect((await gate.aborted).code).toBe('SCHEDULER_TASK_SHUT_DOWN');
        const row = await readRow(knex, 'sync');
        expect(row.current_run_ticket).toBeNull();
        await expect(minutesUntilDue(knex, 'sync')).resolves.toBeGreaterThan(
          59,
        );
      });

      it('keeps the lease of a task that ignores its signal, so no replica runs it meanwhile', async () => {
        const replica = createReplica(knex, {
          shutdownTimeout: { milliseconds: 50 },
        });
        const gate = holdRun({ ignoreAbort: true });
        await replica.scheduler.scheduleTask({
          id: 'stubborn',
          frequency: { hours: 1 },
          timeout: 'PT1M',
          fn: gate.fn,
        });
        await replica.lifecycle.startup();
        await gate.started;
        const held = await readRow(knex, 'stubborn');
        await replica.lifecycle.shutdown();
        expect((await gate.aborted).code).toBe('SCHEDULER_TASK_SHUT_DOWN');
        expect(await readRow(knex, 'stubborn')).toEqual(held);
        await expect(
          secondsUntilLeaseExpires(knex, 'stubborn'),
        ).resolves.toBeGreaterThan(60);
        const other = createReplica(knex);
        await expect(
          other.scheduler.triggerTask('stubborn'),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(replica.logger.messages('warn')).toEqual([
          "Task 'stubborn' of plugin 'catalog' did not stop within PT0.05S after its signal aborted for shutdown; the plugin stops without waiting for it. Make the task return soon after its signal aborts.",
        ]);
        // Settling after shutdown leaves the row alone.
        gate.release();
        await new Promise(resolve => setTimeout(resolve, 50));
        expect(await readRow(knex, 'stubborn')).toEqual(held);
      });
    });
  },
);

interface TaskRow {
  id: string;
  settings_json: string;
  next_run_start_at: Date | null;
  current_run_ticket: string | null;
}

const lifecycles: Array<ReturnType<typeof mockServices.lifecycle>> = [];

/** One replica's scheduler of plugin 'catalog', which skips its own migrations. */
function createReplica(knex: Knex, schedulerConfig: JsonObject = {}) {
  const lifecycle = mockServices.lifecycle();
  lifecycles.push(lifecycle);
  const logger = mockServices.rootLogger();
  const scheduler = DefaultSchedulerService.create({
    database: { getClient: async () => knex, migrations: { skip: true } },
    logger,
    lifecycle,
    pluginMetadata: { getId: () => 'catalog' },
    rootConfig: mockServices.rootConfig({
      data: {
        backend: {
          scheduler: { pollInterval: 'PT0.05S', ...schedulerConfig },
        },
      },
    }),
  });
  return { scheduler, lifecycle, logger };
}

function manualTask(id: string, fn: (signal: AbortSignal) => unknown) {
  return {
    id,
    frequency: { trigger: 'manual' as const },
    timeout: 'PT10S',
    fn: async (signal: AbortSignal) => {
      await fn(signal);
    },
  };
}

async function readRow(knex: Knex, id: string): Promise<TaskRow> {
  const row = await knex<TaskRow>(SCHEDULER_TASKS_TABLE).where({ id }).first();
  return row!;
}

async function databaseNow(knex: Knex): Promise<Date> {
  const result = await knex.raw<{ rows: Array<{ now: Date }> }>(
    'SELECT now() AS now',
  );
  return result.rows[0].now;
}

/** Seconds from the database's now until the lease of the task's run expires. */
async function secondsUntilLeaseExpires(
  knex: Knex,
  id: string,
): Promise<number> {
  const result = await knex.raw<{ rows: Array<{ seconds: number }> }>(
    `SELECT CAST(EXTRACT(EPOCH FROM (current_run_expires_at - now())) AS float8) AS seconds
     FROM ?? WHERE id = ?`,
    [SCHEDULER_TASKS_TABLE, id],
  );
  return result.rows[0].seconds;
}

/** Minutes from the database's now until the task is due; negative if overdue. */
async function minutesUntilDue(knex: Knex, id: string): Promise<number> {
  const result = await knex.raw<{ rows: Array<{ minutes: number }> }>(
    `SELECT CAST(EXTRACT(EPOCH FROM (next_run_start_at - now())) / 60 AS float8) AS minutes
     FROM ?? WHERE id = ?`,
    [SCHEDULER_TASKS_TABLE, id],
  );
  return result.rows[0].minutes;
}
