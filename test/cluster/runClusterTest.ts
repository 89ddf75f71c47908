/**
 * `yarn test:cluster`: three replicas of the backend behind HAProxy, on a
 * private PostgreSQL server and the local Redis, through crashes, database
 * restarts, a rolling restart and a provider full mutation, under a
 * steady read load; then the invariants, and the figures either way.
 *
 * Options: `--sources` runs the replicas from sources under sucrase
 * instead of `build/backend/`; `--build-dir=<path>` takes the compiled
 * folder from elsewhere; `--keep` keeps the work directory (logs).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import {
  fault,
  killAndRestart,
  rollingRestart,
  sleep,
  waitApplied,
  waitConsistent,
  waitForProgress,
  waitForServed,
  type FaultContext,
} from './faults';
import {
  checkEntityInvariants,
  checkTaskRuns,
  readProgress,
} from './invariants';
import { startLoadBalancer } from './loadBalancer';
import {
  readDeadlocks,
  startPrivatePostgres,
  type PrivatePostgres,
} from './privatePostgres';
import { loadBenchEntities, mutateState, ProviderState } from './providerState';
import { startReadLoad, type ReadLoad } from './readLoad';
import {
  createReplicas,
  defaultBuildDirectory,
  type Replica,
} from './replicas';
import { printReport, type FaultWindow } from './report';

const entityCount = 10_000;
/** The whole run must end well inside CI's patience. */
const overallTimeoutMs = 9 * 60_000;
const startedAt = Date.now();
const log = (message: string) =>
  process.stdout.write(
    `[cluster +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}\n`,
  );

const cleanups: Array<() => unknown> = [];
const windows: FaultWindow[] = [];
const breaches: string[] = [];
let load: ReadLoad | undefined;
let pg: PrivatePostgres | undefined;
let replicas: Replica[] = [];
let work = '';
let taskSummary = { runs: 0, unfinished: 0, fenced: 0 };

async function main(): Promise<void> {
  const source = process.argv.includes('--sources') ? 'sources' : 'build';
  work = mkdtempSync('/tmp/plinth-cluster-');
  // The private server runs as 'postgres', which must reach its directory.
  chmodSync(work, 0o755);
  if (!process.argv.includes('--keep')) {
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  } else {
    log(`work directory (kept): ${work}`);
  }
  const [pgPort, lbPort, ...replicaPorts] = await findFreePorts(5);

  mkdirSync(join(work, 'pg'));
  pg = await startPrivatePostgres(join(work, 'pg'), pgPort);
  cleanups.push(() => pg?.stop());
  log(`private PostgreSQL on port ${pgPort}`);
  const redisUrl = chooseRedisDatabase();
  const token = randomBytes(24).toString('base64url');

  const state = new ProviderState(join(work, 'state'));
  const entities = loadBenchEntities(join(work, 'catalog'), entityCount);
  const mutation = mutateState(entities);
  const lb = await startLoadBalancer({
    directory: work,
    port: lbPort,
    replicaPorts,
  });
  cleanups.push(() => lb.stop());
  replicas = createReplicas(
    {
      source,
      buildDirectory: resolve(
        process.argv
          .find(arg => arg.startsWith('--build-dir='))
          ?.slice('--build-dir='.length) ?? defaultBuildDirectory,
      ),
      directory: work,
      postgresPort: pgPort,
      redisUrl,
      token,
      secret: randomBytes(32).toString('base64url'),
      loadBalancerOrigin: lb.origin,
      stateDirectory: state.directory,
    },
    replicaPorts,
  );
  cleanups.push(() => Promise.all(replicas.map(r => r.stop('SIGKILL'))));
  const context: FaultContext = {
    pg,
    replicas,
    state,
    origin: lb.origin,
    token,
    windows,
    log,
  };

  const ticker = setInterval(() => {
    void readProgress(pg!).then(p => log(`progress ${JSON.stringify(p)}`));
  }, 10_000);
  cleanups.push(() => clearInterval(ticker));
  state.write(entities);
  await fault(
    context,
    `cold start: 3 replicas at once (${source})`,
    async () => {
      replicas.forEach(r => r.start());
      await Promise.all(replicas.map(r => r.waitReady(120_000)));
    },
  );
  const stable = mutation.entities
    .filter(
      e => e.kind === 'Component' && !e.metadata.name.startsWith('added-'),
    )
    .map(e => e.metadata.name);
  load = startReadLoad(lb.origin, token, stable.slice(0, 500));

  // Mid-ingest faults, each once the previous one is over and the
  // ingest reached its share of the catalog.
  await waitForServed(context, entityCount * 0.1, 180_000);
  await fault(context, 'SIGKILL replica-1, restart', () =>
    killAndRestart(replicas[0]),
  );
  await waitForServed(context, entityCount * 0.3, 180_000);
  await fault(context, 'pg_terminate_backend (all)', async () => {
    log(`terminated ${await pg!.terminateConnections()} connections`);
    await waitForProgress(context, 50, 60_000);
  });
  await waitForServed(context, entityCount * 0.5, 180_000);
  await fault(context, 'postgres restart -m fast', async () => {
    await pg!.restart('fast');
    await waitForProgress(context, 50, 60_000);
  });
  await waitForServed(context, entityCount * 0.7, 180_000);
  await fault(context, 'postgres restart -m immediate', async () => {
    await pg!.restart('immediate');
    await waitForProgress(context, 50, 60_000);
  });
  await waitConsistent(context, entities, 240_000);
  log('ingest consistent');

  await fault(context, 'rolling restart (SIGTERM each)', () =>
    rollingRestart(context),
  );
  await waitConsistent(context, entities, 60_000);

  await fault(context, 'full mutation, replica-2 down', async () => {
    await replicas[1].stop('SIGKILL');
    const version = state.write(mutation.entities);
    log(`provider state ${version}: ${JSON.stringify(mutation.summary)}`);
    await waitApplied(context, version, 60_000);
    replicas[1].start();
    await replicas[1].waitReady(90_000);
  });
  await waitConsistent(context, mutation.entities, 120_000);

  // The deletion guard: a full mutation that would remove every entity of
  // the provider is held back on every replica; nothing is deleted.
  await fault(context, 'wiping full mutation (guard)', async () => {
    const version = state.write([]);
    await waitApplied(context, version, 60_000);
    await sleep(2000);
    const progress = await readProgress(pg!);
    if (
      progress.rows !== mutation.entities.length ||
      progress.served !== mutation.entities.length
    ) {
      breaches.push(
        `the deletion guard let a wiping full mutation through: ${progress.rows} rows and ${progress.served} served entities left of ${mutation.entities.length}`,
      );
    }
    await waitApplied(context, state.write(mutation.entities), 60_000);
  });
  await waitConsistent(context, mutation.entities, 60_000);

  await sleep(3000);
  await load.stop();
  log('load stopped; checking invariants');
  breaches.push(
    ...(await checkEntityInvariants(pg, lb.origin, token, mutation.entities)),
  );
  const tasks = await checkTaskRuns(pg);
  taskSummary = {
    runs: tasks.runs.length,
    unfinished: tasks.unfinished,
    fenced: tasks.fenced,
  };
  breaches.push(...tasks.breaches);
}

/** A Redis database number no one uses now, emptied again at the end. */
function chooseRedisDatabase(): string {
  for (let db = 15; db >= 8; db--) {
    const size = execFileSync('redis-cli', ['-n', String(db), 'DBSIZE'])
      .toString()
      .trim();
    if (size === '0') {
      cleanups.push(() =>
        execFileSync('redis-cli', ['-n', String(db), 'FLUSHDB']),
      );
      return `redis://127.0.0.1:6379/${db}`;
    }
  }
  throw new Error(
    'Redis databases 8-15 on 127.0.0.1:6379 all hold keys; free one for the cluster test.',
  );
}

async function findFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>(done => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => done(server));
        }),
    ),
  );
  const ports = servers.map(s => (s.address() as { port: number }).port);
  await Promise.all(servers.map(s => new Promise(done => s.close(done))));
  return ports;
}

let finished = false;
async function finish(error?: unknown): Promise<never> {
  if (finished) {
    process.exit(1);
  }
  finished = true;
  if (error) {
    breaches.push(
      `the run failed: ${error instanceof Error ? error.message : inspect(error)}`,
    );
  }
  const samples = load
    ? await Promise.race([load.stop(), sleep(5000).then(() => load!.samples)])
    : [];
  printReport({
    samples,
    windows,
    deadlockLines: pg ? readDeadlocks(pg.logFile) : [],
    replicaLogs: replicas.map(r => join(work, `${r.name}.log`)),
    taskRuns: taskSummary.runs,
    unfinishedTaskRuns: taskSummary.unfinished,
    fencedTaskRuns: taskSummary.fenced,
    breaches,
    startedAt,
  });
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (cleanupError) {
      process.stderr.write(
        `[cluster] cleanup failed: ${cleanupError instanceof Error ? cleanupError.message : inspect(cleanupError)}\n`,
      );
    }
  }
  log(`done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  process.exit(breaches.length ? 1 : 0);
}

const overall = setTimeout(
  () =>
    void finish(
      new Error(
        `the whole run took longer than ${overallTimeoutMs / 60_000} minutes`,
      ),
    ),
  overallTimeoutMs,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(
    signal,
    () => void finish(new Error(`interrupted by ${signal}`)),
  );
}
main().then(
  () => {
    clearTimeout(overall);
    return finish();
  },
  error => finish(error),
);
