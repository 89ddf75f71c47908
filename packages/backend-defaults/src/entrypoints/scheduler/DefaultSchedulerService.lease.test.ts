import type { SchedulerServiceTaskLease } from '@plinth/backend-plugin-api';
import { mockServices, TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import type { RuntimeServiceError } from '../../errors';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import { SCHEDULER_TASKS_TABLE, TaskStore } from './TaskStore';
import { waitUntil } from './taskProbes.fixture';

const databases = TestDatabases.create();

interface LeaseRow {
  current_run_ticket: string | null;
  fencing_token: string;
}

describe.each(databases.eachSupportedId())(
  'DefaultSchedulerService leases on %s',
  id => {
    let knex: Knex;
    const lifecycles: Array<ReturnType<typeof mockServices.lifecycle>> = [];

    beforeEach(async () => {
      knex = await databases.init(id);
    });

    afterEach(async () => {
      await Promise.all(lifecycles.splice(0).map(l => l.shutdown()));
    });

    function createReplica() {
      const lifecycle = mockServices.lifecycle();
      lifecycles.push(lifecycle);
      const logger = mockServices.rootLogger();
      const scheduler = DefaultSchedulerService.create({
        database: { getClient: async () => knex },
        logger,
        lifecycle,
        pluginMetadata: { getId: () => 'catalog' },
        rootConfig: mockServices.rootConfig({
          data: { backend: { scheduler: { pollInterval: 'PT0.05S' } } },
        }),
      });
      return { scheduler, lifecycle, logger };
    }

    /** A run that records its lease and holds on until told, even once aborted. */
    function overrunningRun() {
      const run = {
        lease: undefined as SchedulerServiceTaskLease | undefined,
        signal: undefined as AbortSignal | undefined,
        finish: () => {},
      };
      const fn = (
        signal: AbortSignal,
        context?: { lease?: SchedulerServiceTaskLease },
      ) =>
        new Promise<void>(resolve => {
          run.lease = context?.lease;
          run.signal = signal;
          run.finish = resolve;
        });
      return { run, fn };
    }

    const task = {
      id: 'sync',
      frequency: { trigger: 'manual' as const },
      timeout: 'PT1H',
    };

    it('gives each claim a larger fencing token, kept across releases', async () => {
      const tokens: string[] = [];
      const replica = createReplica();
      await replica.scheduler.scheduleTask({
        ...task,
        fn: async (_signal, context) => {
          tokens.push(context!.lease!.fencingToken);
          await expect(context!.lease!.isHeld()).resolves.toBe(true);
        },
      });
      await replica.lifecycle.startup();
      for (let runs = 1; runs <= 3; runs += 1) {
        await replica.scheduler.triggerTask('sync');
        await waitUntil(
          async () =>
            tokens.length >= runs &&
            (await readRow(knex)).current_run_ticket === null,
        );
      }
      expect(tokens).toEqual(['1', '2', '3']);
      expect((await readRow(knex)).fencing_token).toBe('3');
    });

    it('fences out a holder that overran its lease: its signal aborts and it cannot write the row', async () => {
      const first = createReplica();
      const overrun = overrunningRun();
      await first.scheduler.scheduleTask({ ...task, fn: overrun.fn });
      await first.lifecycle.startup();
      await first.scheduler.triggerTask('sync');
      await waitUntil(() => overrun.run.lease !== undefined);
      const held = await readRow(knex);

      // The holder stalls past its lease (a pause, a slow disk): the lease
      // expires on the database clock while its function still runs.
      await knex(SCHEDULER_TASKS_TABLE)
        .where({ id: 'sync' })
        .update({
          current_run_expires_at: knex.raw("now() - interval '1 second'"),
        });
      const second = createReplica();
      const tokens: string[] = [];
      let finishSecond = () => {};
      await second.scheduler.scheduleTask({
        ...task,
        fn: (_signal, context) =>
          new Promise<void>(resolve => {
            tokens.push(context!.lease!.fencingToken);
            finishSecond = resolve;
          }),
      });
      await second.lifecycle.startup();
      await waitUntil(() => tokens.length === 1);

      expect(BigInt(tokens[0])).toBeGreaterThan(
        BigInt(overrun.run.lease!.fencingToken),
      );
      await waitUntil(() => overrun.run.signal!.aborted);
      expect((overrun.run.signal!.reason as RuntimeServiceError).code).toBe(
        'SCHEDULER_TASK_LEASE_LOST',
      );
      await expect(overrun.run.lease!.isHeld()).resolves.toBe(false);
      const store = new TaskStore(knex, 'catalog');
      await expect(
        store.release(
          'sync',
          {
            ticket: held.current_run_ticket!,
            fencingToken: overrun.run.lease!.fencingToken,
          },
          new Date(),
        ),
      ).resolves.toBe(false);

      // The late holder returns: the row stays the new holder's.
      overrun.run.finish();
      await first.lifecycle.shutdown();
      const row = await readRow(knex);
      expect(row.fencing_token).toBe(tokens[0]);
      expect(row.current_run_ticket).not.toBe(held.current_run_ticket);
      expect(row.current_run_ticket).not.toBeNull();
      finishSecond();
    });
  },
);

async function readRow(knex: Knex): Promise<LeaseRow> {
  const row = await knex(SCHEDULER_TASKS_TABLE)
    .where({ id: 'sync' })
    .first<LeaseRow>(
      'current_run_ticket',
      knex.raw('CAST(fencing_token AS text) AS fencing_token'),
    );
  return row;
}
