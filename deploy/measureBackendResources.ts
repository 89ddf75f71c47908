/**
 * Measures what one production replica uses, for the resource requests and
 * limits of deploy/kubernetes and the database sizing of the README: the
 * assembled backend (packages/backend, with the permission plugin) on the
 * local PostgreSQL with app-config.production.yaml, idle, while it ingests
 * a generated catalog, and under a read load. Prints RSS, CPU cores, the
 * connections it holds and the catalog database's size.
 *
 * Usage: node -r sucrase/register/ts deploy/measureBackendResources.ts
 *   [entities=10000] [postgres URL=postgres://postgres\@127.0.0.1:5432/postgres]
 *   [compiled folder of `yarn build:backend`, e.g. build/backend; by default
 *   the sources through sucrase, as `yarn start` runs them]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { stringify } from 'yaml';
import { generateCatalog } from '../bench/catalog/generateCatalog';
import { waitForIngestion } from '../bench/catalog/waitForIngestion';
import type { CatalogBackendProcess } from '../bench/catalog/startCatalogBackend';

const root = resolve(__dirname, '..');
const databasePrefix = 'plinth_deploy_measure_';
const sampleIntervalMs = 250;
const idleSeconds = 30;
const loadSeconds = 20;
const loadConnections = 10;

interface Sample {
  rssMiB: number;
  cpuMs: number;
  at: number;
}

async function main() {
  const count = Number(process.argv[2] ?? 10_000);
  const compiled = process.argv[4] ? resolve(process.argv[4]) : undefined;
  const postgres = new URL(
    process.argv[3] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  const work = mkdtempSync(join(tmpdir(), 'plinth-deploy-measure-'));
  await dropDatabases(postgres);
  try {
    const catalog = generateCatalog({ count, directory: work });
    const port = await findFreePort();
    const token = randomBytes(24).toString('base64url');
    const configFile = join(work, 'app-config.measure.yaml');
    writeFileSync(
      configFile,
      stringify({
        backend: {
          baseUrl: `http://127.0.0.1:${port}`,
          listen: { host: '127.0.0.1', port },
          database: { prefix: databasePrefix },
          auth: {
            externalAccess: [
              { type: 'static', options: { token, subject: 'measure' } },
            ],
          },
          reading: { fileRoots: [dirname(catalog.locationFile)] },
        },
        catalog: {
          locations: [{ type: 'file', target: catalog.locationFile }],
        },
      }),
    );
    const child = spawn(
      process.execPath,
      [
        ...(compiled
          ? ['packages/backend/dist/index.js']
          : ['-r', 'sucrase/register/ts', 'packages/backend/src/index.ts']),
        ...[
          'app-config.yaml',
          'app-config.production.yaml',
          configFile,
        ].flatMap(file => ['--config', file]),
      ],
      {
        cwd: compiled ?? root,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          BACKEND_BASE_URL: `http://127.0.0.1:${port}`,
          APP_BASE_URL: 'http://127.0.0.1:3000',
          POSTGRES_HOST: postgres.hostname,
          POSTGRES_PORT: postgres.port || '5432',
          POSTGRES_USER: decodeURIComponent(postgres.username),
          POSTGRES_PASSWORD: decodeURIComponent(postgres.password),
          BACKEND_SECRET: randomBytes(32).toString('hex'),
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const samples: Sample[] = [];
    const sampler = setInterval(() => {
      const sample = readSample(child.pid!);
      if (sample) samples.push(sample);
    }, sampleIntervalMs);
    const spawnedAt = performance.now();
    const backend = {
      origin: `http://127.0.0.1:${port}`,
      token,
      spawnedAt,
    } as CatalogBackendProcess;
    try {
      const ingestion = await waitForIngestion({
        backend,
        catalog,
        timeoutMs: 600_000,
      });
      const ingested = summarize(samples, 0, performance.now());
      const connectionsAfterIngest = await countConnections(postgres);

      const idleFrom = performance.now();
      await sleep(idleSeconds * 1000);
      const idle = summarize(samples, idleFrom, performance.now());

      const loadFrom = performance.now();
      const load = await autocannon({
        url: `${backend.origin}/api/catalog/entities/by-query?limit=20&filter=kind=component`,
        headers: { authorization: `Bearer ${token}` },
        connections: loadConnections,
        duration: loadSeconds,
      });
      const underLoad = summarize(samples, loadFrom, performance.now());
      const connectionsUnderLoad = await countConnections(postgres);
      const sizes = await readDatabaseSizes(postgres);

      const line = (name: string, s: ReturnType<typeof summarize>) =>
        `${name.padEnd(34)} RSS peak ${s.peakRssMiB.toFixed(0)} MiB, last ${s.lastRssMiB.toFixed(0)} MiB; CPU ${s.cores.toFixed(2)} cores average`;
      process.stdout.write(
        [
          `${count} generated entities on PostgreSQL ${postgres.host}, ${compiled ? `compiled (${compiled})` : 'sucrase transpiler loaded'}`,
          `stitched ${(ingestion.stitchedMs / 1000).toFixed(1)} s after spawn`,
          line('start + ingest', ingested),
          line(`idle ${idleSeconds} s after ingest`, idle),
          line(
            `read load (${loadConnections} connections, ${loadSeconds} s)`,
            underLoad,
          ),
          `read load: ${load.requests.average.toFixed(0)} req/s, p99 ${load.latency.p99} ms, non-2xx ${load.non2xx}, errors ${load.errors}`,
          `connections held: ${connectionsAfterIngest} after ingest, ${connectionsUnderLoad} under load`,
          ...sizes.map(
            ({ name, bytes }) =>
              `database ${name}: ${(bytes / 2 ** 20).toFixed(1)} MiB`,
          ),
          '',
        ].join('\n'),
      );
    } finally {
      clearInterval(sampler);
      child.kill('SIGTERM');
      await new Promise(done => child.once('exit', done));
    }
  } finally {
    await dropDatabases(postgres);
    rmSync(work, { recursive: true, force: true });
  }
}

/** RSS from /proc/<pid>/status and user+system CPU from /proc/<pid>/stat. */
function readSample(pid: number): Sample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks of 10 ms.
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    return { rssMiB: rssKiB / 1024, cpuMs, at: performance.now() };
  } catch {
    return undefined;
  }
}

function summarize(samples: Sample[], from: number, to: number) {
  const window = samples.filter(s => s.at >= from && s.at <= to);
  const first = window[0];
  const last = window[window.length - 1];
  return {
    peakRssMiB: Math.max(...window.map(s => s.rssMiB)),
    lastRssMiB: last.rssMiB,
    cores: (last.cpuMs - first.cpuMs) / (last.at - first.at),
  };
}

async function withPostgres<T>(
  url: URL,
  run: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function listDatabases(url: URL): Promise<string[]> {
  return withPostgres(url, async client => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [databasePrefix],
    );
    return rows.map(row => row.datname);
  });
}

async function dropDatabases(url: URL) {
  for (const name of await listDatabases(url)) {
    await withPostgres(url, client =>
      client.query(`DROP DATABASE "${name}" WITH (FORCE)`),
    );
  }
}

async function countConnections(url: URL): Promise<number> {
  return withPostgres(url, async client => {
    const { rows } = await client.query<{ count: string }>(
      'SELECT count(*) FROM pg_stat_activity WHERE starts_with(datname, $1)',
      [databasePrefix],
    );
    return Number(rows[0].count);
  });
}

async function readDatabaseSizes(url: URL) {
  const names = await listDatabases(url);
  return withPostgres(url, async client => {
    const sizes = [];
    for (const name of names) {
      const { rows } = await client.query<{ bytes: string }>(
        'SELECT pg_database_size($1) AS bytes',
        [name],
      );
      sizes.push({ name, bytes: Number(rows[0].bytes) });
    }
    return sizes;
  });
}

function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function sleep(ms: number) {
  return new Promise(done => setTimeout(done, ms));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
