/**
 * Measures the catalog at scale, on PGlite and on PostgreSQL: the time from
 * spawning a backend until it serves N generated entities with all their
 * relations, its peak memory over the whole run (VmHWM), the throughput of
 * the main read routes as an external client sees it (a load generator
 * process of its own, no `Accept-Encoding`, median of three rounds) beside
 * a plain express server answering the same bytes on the same route, and
 * how long the costliest requests a reader may send take to answer, and
 * the read routes again with permissions on and the owners policy, side
 * by side with permissions off. Prints figures against the targets with
 * PASS or MISS; fails only when the benchmark itself cannot run.
 *
 * Usage: yarn bench:catalog [N] [--only pglite|postgres] [--duration <s>]
 *   [--warmup <s>] [--connections <n>] [--timeout <s>]
 *   [--permissions include|only|skip] [--quick]
 * PostgreSQL: `PLINTH_BENCH_POSTGRES_URL`, default
 * `postgres://postgres@127.0.0.1:5432/postgres`; the run creates and drops
 * databases named `plinth_catalog_bench_*`, or `PLINTH_BENCH_POSTGRES_PREFIX*`
 * so that runs sharing a server do not drop each other's databases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePermissions } from './comparePermissions';
import { dropBenchDatabases } from './dropBenchDatabases';
import { generateCatalog, type GeneratedCatalog } from './generateCatalog';
import {
  listBenchRoutes,
  loadTestRoutes,
  type RouteResult,
} from './loadTestRoutes';
import { printDeepReads } from './measureDeepReads';
import { parseBenchArgs, type BenchArgs } from './parseBenchArgs';
import { probeQueryCost } from './probeQueryCost';
import {
  startCatalogBackend,
  type BenchDatabaseConfig,
} from './startCatalogBackend';
import { waitForIngestion } from './waitForIngestion';
import { watchRss } from './watchRss';

const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
const postgresPrefix =
  process.env.PLINTH_BENCH_POSTGRES_PREFIX ?? 'plinth_catalog_bench_';
/** The targets of 10,000 entities, and from 100,000 on those of 100,000. */
function targetsFor(count: number) {
  return count >= 100_000
    ? { stitchMs: 120_000, peakRssMiB: 500 }
    : { stitchMs: 10_000, peakRssMiB: 300 };
}
/** The routes held to a share of their plain express ceiling. */
const ceilingTargets: Record<string, number> = {
  'GET /entities/by-query': 0.7,
};

function print(line: string) {
  process.stdout.write(`${line}\n`);
}

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'MISS';
}

async function main() {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    print(args.help);
    return;
  }
  const workDirectory = mkdtempSync(join(tmpdir(), 'plinth-catalog-bench-'));
  try {
    const catalog = generateCatalog({
      count: args.count,
      directory: join(workDirectory, 'catalog'),
    });
    const kinds = Object.entries(catalog.counts)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    print(
      `Catalog benchmark: ${catalog.count} entities (${kinds}); node ${process.version}, ${availableParallelism()} CPUs.`,
    );
    print(
      `Targets are those of PostgreSQL with 10,000 entities; load: ${args.connections} connections, ${args.warmupSeconds} s warm-up, ${args.durationSeconds} s per route.`,
    );
    for (const database of args.databases) {
      print('');
      if (database === 'pglite') {
        print('PGlite');
        await runOnDatabase(args, catalog, workDirectory, {
          client: 'pglite',
          connection: { directory: join(workDirectory, 'pglite') },
        });
      } else {
        print('PostgreSQL');
        await runOnPostgres(args, catalog, workDirectory);
      }
    }
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

async function runOnPostgres(
  args: BenchArgs,
  catalog: GeneratedCatalog,
  workDirectory: string,
) {
  const url = process.env.PLINTH_BENCH_POSTGRES_URL ?? defaultPostgresUrl;
  try {
    await dropBenchDatabases(url, postgresPrefix);
  } catch (error) {
    if (args.only === 'postgres') {
      throw error;
    }
    print(`  skipped: ${(error as Error).message}`);
    return;
  }
  try {
    await runOnDatabase(args, catalog, workDirectory, {
      client: 'pg',
      connection: url,
      prefix: postgresPrefix,
    });
  } finally {
    await dropBenchDatabases(url, postgresPrefix);
  }
}

async function runOnDatabase(
  args: BenchArgs,
  catalog: GeneratedCatalog,
  workDirectory: string,
  database: BenchDatabaseConfig,
) {
  if (args.permissions !== 'only') {
    await measureCatalog(args, catalog, workDirectory, database);
  }
  if (args.permissions !== 'skip') {
    await comparePermissions({
      args,
      catalog,
      workDirectory,
      database: separateDatabase(database, workDirectory),
      print,
    });
  }
}

async function measureCatalog(
  args: BenchArgs,
  catalog: GeneratedCatalog,
  workDirectory: string,
  database: BenchDatabaseConfig,
) {
  const backend = await startCatalogBackend({
    workDirectory,
    locationFile: catalog.locationFile,
    database,
  });
  const targets = targetsFor(catalog.count);
  const rss = watchRss(backend);
  let completed = false;
  try {
    const ingestion = await Promise.race([
      waitForIngestion({
        backend,
        catalog,
        timeoutMs: args.timeoutSeconds * 1000,
      }),
      backend.exited,
    ]);
    const ingestionPeakMiB = backend.readPeakRssMiB();
    const ingestedRss = rss.sampleNow();
    const perSecond = catalog.count / (ingestion.stitchedMs / 1000);
    print(
      `  stitched with relations  ${fixed(ingestion.stitchedMs, 0, 6)} ms after spawn (all served at ${fixed(ingestion.countedMs, 0)} ms), ${fixed(perSecond, 0)} entities/s   target <= ${targets.stitchMs} ms   ${verdict(ingestion.stitchedMs <= targets.stitchMs)}`,
    );
    const routes = await Promise.race([
      loadTestRoutes(backend, listBenchRoutes(catalog), {
        ...args,
        ceilingDirectory: workDirectory,
      }),
      backend.exited,
    ]);
    for (const route of routes) {
      printRoute(route);
    }
    for (const route of routes) {
      print(
        `  ${`non-2xx ${route.name}`.padEnd(38)} ${String(route.non2xx).padStart(6)} (connection errors ${route.errors})   target 0   ${verdict(route.non2xx === 0 && route.errors === 0)}`,
      );
    }
    await Promise.race([
      printDeepReads({ backend, catalog, ingestion, ingestedRss, rss, print }),
      backend.exited,
    ]);
    const loadPeakMiB = backend.readPeakRssMiB();
    // These answers are far larger than any load test's; the peak below
    // counts them, as an observer of the process would.
    const probes = await Promise.race([
      probeQueryCost(backend, catalog),
      backend.exited,
    ]);
    for (const probe of probes) {
      print(
        `  ${probe.name.padEnd(38)} ${probe.status}  slowest of 3 ${fixed(probe.slowestMs, 0, 6)} ms   target ${probe.expectedStatus} in < ${probe.targetMs} ms   ${verdict(probe.status === probe.expectedStatus && probe.slowestMs < probe.targetMs)}`,
      );
    }
    const peakMiB = backend.readPeakRssMiB();
    print(
      `  peak RSS ${fixed(peakMiB, 0, 6)} MiB over the whole run (VmHWM; ${fixed(ingestionPeakMiB, 0)} MiB by the end of ingestion, ${fixed(loadPeakMiB, 0)} MiB by the end of the load tests)   target <= ${targets.peakRssMiB} MiB   ${verdict(peakMiB <= targets.peakRssMiB)}`,
    );
    completed = true;
  } finally {
    rss.stop();
    const code = await backend.stop();
    if (completed && code !== 0) {
      print(`  note: the backend exited with code ${code} when stopped`);
    }
  }
}

/** Another empty database of the same kind, for the permission comparison. */
function separateDatabase(
  database: BenchDatabaseConfig,
  workDirectory: string,
): BenchDatabaseConfig {
  return database.client === 'pglite'
    ? {
        client: 'pglite',
        connection: { directory: join(workDirectory, 'pglite-permissions') },
      }
    : { ...database, prefix: `${database.prefix}permissions_` };
}

/**
 * One route: the client's view of the catalog, then the plain express
 * server answering the same bytes, and the share of its throughput the
 * catalog reaches (its CPU per request in parentheses, steadier on a
 * shared machine).
 */
function printRoute(route: RouteResult) {
  const ours = `${route.name.padEnd(30)} p50 ${fixed(route.p50Ms, 1, 5)} ms  p99 ${fixed(route.p99Ms, 1, 6)} ms  ${fixed(route.requestsPerSecond, 0, 6)} req/s ${fixed(route.cpuMsPerRequest, 2, 5)} ms CPU`;
  const target = `target >= ${route.targetRequestsPerSecond} req/s`;
  const absolute = route.requestsPerSecond >= route.targetRequestsPerSecond;
  const { ceiling } = route;
  if (!ceiling) {
    print(`  ${ours}   ${target}   ${verdict(absolute)}`);
    return;
  }
  const ratio = route.requestsPerSecond / ceiling.requestsPerSecond;
  const cpuRatio = ceiling.cpuMsPerRequest / route.cpuMsPerRequest;
  const share = ceilingTargets[route.name];
  print(
    `  ${ours} | plain express ${fixed(ceiling.requestsPerSecond, 0, 6)} req/s ${fixed(ceiling.cpuMsPerRequest, 2, 5)} ms CPU | ${fixed(ratio * 100, 0, 3)}% (CPU ${fixed(cpuRatio * 100, 0)}%)   ${target}${share ? ` and >= ${share * 100}% of plain express` : ''}   ${verdict(absolute && (!share || ratio >= share))}`,
  );
}

function fixed(value: number, digits: number, width = 0): string {
  return value.toFixed(digits).padStart(width);
}

main().catch((error: unknown) => {
  const lines: string[] = [];
  for (let e: unknown = error; e !== undefined;) {
    lines.push(e instanceof Error ? e.message : JSON.stringify(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  process.stderr.write(`${lines.join('\nCaused by: ')}\n`);
  process.exit(1);
});
