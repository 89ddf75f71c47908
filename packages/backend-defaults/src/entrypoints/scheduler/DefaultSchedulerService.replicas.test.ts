import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { SchedulerServiceTaskRunContext } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { knex as createKnex, type Knex } from 'knex';
import { DefaultSchedulerService } from './DefaultSchedulerService';
import { SCHEDULER_TASKS_TABLE } from './TaskStore';
import { waitUntil } from './taskProbes.fixture';

const postgresUrl = process.env.PLINTH_TEST_POSTGRES_URL;

// Replicas need a database that several processes and pools can share,
// which only PostgreSQL offers; without PLINTH_TEST_POSTGRES_URL these
// tests are skipped.
const describeOnPostgres = postgresUrl ? describe : describe.skip;

describeOnPostgres('DefaultSchedulerService replicas on POSTGRES', () => {
  const databaseName = `plinth_scheduler_${randomBytes(6).toString('hex')}`;
  let admin: Knex;
  let databaseUrl: string;
  const pools: Knex[] = [];
  const lifecycles: Array<ReturnType<typeof mockServices.lifecycle>> = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    admin = createKnex({ client: 'pg', connection: postgresUrl });
    await admin.raw('CREATE DATABASE ??', [databaseName]);
    const url = new URL(postgresUrl!);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  });

  afterEach(async () => {
    children.splice(0).forEach(child => child.kill('SIGKILL'));
    await Promise.all(lifecycles.splice(0).map(l => l.shutdown()));
  });

  afterAll(async () => {
    await Promise.all(pools.map(pool => pool.destroy()));
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [databaseName]);
    await admin.destroy();
  });

  /** A pool of its own, as a separate replica would have. */
  function openPool(): Knex {
    const pool = createKnex({
      client: 'pg',
      connection: databaseUrl,
      // Dropped connections are what some tests cause on purpose.
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
    pools.push(pool);
    return pool;
  }

  function createReplica(schedulerConfig: object = {}) {
    const lifecycle = mockServices.lifecycle();
    lifecycles.push(lifecycle);
    const pool = openPool();
    const logger = mockServices.rootLogger();
    const scheduler = DefaultSchedulerService.create({
      database: { getClient: async () => pool },
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

  /** Ends every session on the test's database, as a server restart does. */
  async function terminateSessions() {
    await admin.raw(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
      [databaseName],
    );
  }

  it('runs a global task on one replica at a time, once per period', async () => {
    const observer = openPool();
    const period = 200;
    const starts: Date[] = [];
    const tokens: bigint[] = [];
    let running = 0;
    let overlaps = 0;
    const fn = async (
      _signal: AbortSignal,
      context?: SchedulerServiceTaskRunContext,
    ) => {
      running += 1;
      overlaps += running > 1 ? 1 : 0;
      tokens.push(BigInt(context!.lease!.fencingToken));
      const row = await readRow(observer, 'once');
      starts.push(row.current_run_started_at!);
      await new Promise(resolve => setTimeout(resolve, 30));
      running -= 1;
    };
    const task = {
      id: 'once',
      frequency: { milliseconds: period },
      timeout: 'PT5S',
      fn,
    };
    const replicas = [createReplica(), createReplica()];
    for (const replica of replicas) {
      await replica.scheduler.scheduleTask(task);
    }
    await Promise.all(replicas.map(r => r.lifecycle.startup()));
    await waitUntil(async () => starts.length >= 6);
    await Promise.all(replicas.map(r => r.lifecycle.shutdown()));

    expect(overlaps).toBe(0);
    // Each run starts on the database clock no sooner than one period after
    // the previous one: no period ever has two runs.
    const gaps = starts
      .slice(1)
      .map((start, i) => start.getTime() - starts[i].getTime());
    expect(gaps.filter(gap => gap < period)).toEqual([]);
    // Each run's fencing token is larger than every earlier run's.
    expect(tokens.slice(1).filter((token, i) => token <= tokens[i])).toEqual(
      [],
    );
  }, 20_000);

  it('logs a database outage once and runs the task again once the database is back', async () => {
    let runs = 0;
    const replica = createReplica({ leaseGrace: 'PT0.1S' });
    await replica.scheduler.scheduleTask({
      id: 'outage',
      frequency: { milliseconds: 50 },
      timeout: { seconds: 1 },
      fn: async () => {
        runs += 1;
      },
    });
    await replica.lifecycle.startup();
    await waitUntil(() => runs >= 2);

    // Sessions cut mid-run: the pool drops the dead connections.
    await terminateSessions();
    const afterCut = runs;
    await waitUntil(() => runs >= afterCut + 2);

    // The cut above may itself have failed a check and logged, when it
    // landed on one; the outage below is counted on its own.
    const warnings = () =>
      replica.logger
        .messages('warn')
        .filter(m => m.includes('could not check its row'));
    const warningsBeforeOutage = warnings().length;

    // The server refuses the database for a while, as during a restart.
    await admin.raw('ALTER DATABASE ?? WITH ALLOW_CONNECTIONS false', [
      databaseName,
    ]);
    await terminateSessions();
    await waitUntil(() => replica.logger.messages('debug').length >= 3);
    await admin.raw('ALTER DATABASE ?? WITH ALLOW_CONNECTIONS true', [
      databaseName,
    ]);
    const afterOutage = runs;
    await waitUntil(() => runs >= afterOutage + 2);
    await replica.lifecycle.shutdown();

    expect(warnings()).toHaveLength(warningsBeforeOutage + 1);
    expect(replica.logger.messages('info')).toContainEqual(
      expect.stringMatching(
        /^Task 'outage' of plugin 'catalog' reached the database again after \d+ failed looks at its row\.$/,
      ),
    );
  }, 30_000);

  it('runs a task that returns after its timeout on one replica at a time', async () => {
    const timeout = 100;
    let running = 0;
    let overlaps = 0;
    let runs = 0;
    const fn = async (signal: AbortSignal) => {
      running += 1;
      overlaps += running > 1 ? 1 : 0;
      // Ignores its abort for 100 ms past the timeout.
      await new Promise(resolve => signal.addEventListener('abort', resolve));
      await new Promise(resolve => setTimeout(resolve, 100));
      running -= 1;
      runs += 1;
    };
    const task = {
      id: 'overrun',
      frequency: { milliseconds: 20 },
      timeout: { milliseconds: timeout },
      fn,
    };
    const replicas = [createReplica(), createReplica()];
    for (const replica of replicas) {
      await replica.scheduler.scheduleTask(task);
    }
    await Promise.all(replicas.map(r => r.lifecycle.startup()));
    await waitUntil(async () => runs >= 4);
    await Promise.all(replicas.map(r => r.lifecycle.shutdown()));

    expect(overlaps).toBe(0);
  }, 20_000);

  it('lets another replica take over once the lease of a killed holder has expired', async () => {
    const observer = openPool();
    const settings = {
      frequency: { milliseconds: 100 },
      timeout: { seconds: 1 },
    };
    const holder = startHolderProcess(databaseUrl, settings);
    children.push(holder.child);
    await holder.running;
    const held = await readRow(observer, 'handover');
    expect(held.current_run_ticket).not.toBeNull();

    const starts: Date[] = [];
    const survivor = createReplica();
    await survivor.scheduler.scheduleTask({
      id: 'handover',
      ...settings,
      fn: async () => {
        starts.push(
          (await readRow(observer, 'handover')).current_run_started_at!,
        );
      },
    });
    await survivor.lifecycle.startup();
    holder.child.kill('SIGKILL');
    await holder.exited;
    // Killed without a chance to release: the lease is still in the row.
    expect((await readRow(observer, 'handover')).current_run_ticket).toBe(
      held.current_run_ticket,
    );

    await waitUntil(async () => starts.length >= 1);
    await survivor.lifecycle.shutdown();
    expect(starts[0].getTime()).toBeGreaterThanOrEqual(
      held.current_run_expires_at!.getTime(),
    );
    // Compiling the holder process with ts-node takes a few seconds.
  }, 60_000);
});

interface TaskRow {
  current_run_ticket: string | null;
  current_run_started_at: Date | null;
  current_run_expires_at: Date | null;
}

async function readRow(knex: Knex, id: string): Promise<TaskRow> {
  const row = await knex<TaskRow & { id: string }>(SCHEDULER_TASKS_TABLE)
    .where({ id })
    .first();
  return row!;
}

/**
 * Starts a replica in a child process that claims task 'handover' and
 * never finishes it; `running` resolves once its run has started.
 */
function startHolderProcess(databaseUrl: string, settings: object) {
  const script = `
    const { knex } = require('knex');
    const { DefaultSchedulerService } = require(${JSON.stringify(path.join(__dirname, 'DefaultSchedulerService'))});
    const { ConfigReader } = require(${JSON.stringify(path.join(__dirname, '../../config'))});
    const { LifecycleHooks } = require('@plinth/backend-app-api');
    const logger = { error() {}, warn() {}, info() {}, debug() {}, child() { return logger; } };
    const lifecycle = LifecycleHooks.create({ owner: "plugin 'catalog'" });
    const pool = knex({ client: 'pg', connection: process.env.HOLDER_DATABASE_URL });
    const scheduler = DefaultSchedulerService.create({
      database: { getClient: async () => pool },
      logger,
      lifecycle,
      pluginMetadata: { getId: () => 'catalog' },
      rootConfig: new ConfigReader({ backend: { scheduler: { pollInterval: 50, leaseGrace: 100 } } }, 'holder'),
    });
    scheduler
      .scheduleTask({
        id: 'handover',
        ...${JSON.stringify(settings)},
        fn: () => {
          process.stdout.write('running\\n');
          return new Promise(() => {});
        },
      })
      .then(() => lifecycle.startup());
  `;
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-e', script],
    {
      cwd: path.resolve(__dirname, '../../../../..'),
      env: { ...process.env, HOLDER_DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const running = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('running')) {
        resolve();
      }
    });
    child.on('exit', code =>
      reject(new Error(`The holder process exited with code ${code}.`)),
    );
  });
  const exited = new Promise<void>(resolve =>
    child.on('exit', () => resolve()),
  );
  return { child, running, exited };
}
