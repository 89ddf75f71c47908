/**
 * The read routes with permissions on and the owners policy, side by side
 * with permissions off: one backend per variant, started in turn on the
 * same ingested database, all loaded with the same user token of the
 * user whose team owns a tenth of the catalog. The catalog is ingested
 * into a database of its own with a processing interval longer than the
 * run, so no variant shares the machine with a wave of reprocessing.
 */
import type { GeneratedCatalog } from './generateCatalog';
import {
  listBenchRoutes,
  loadTestRoutes,
  type BenchRoute,
  type RouteResult,
} from './loadTestRoutes';
import type { BenchArgs } from './parseBenchArgs';
import { requestCatalog } from './requestCatalog';
import {
  startCatalogBackend,
  type BenchDatabaseConfig,
  type StartCatalogBackendOptions,
} from './startCatalogBackend';
import { waitForIngestion } from './waitForIngestion';

/** Longer than the whole comparison: no entity is processed twice. */
const quietProcessingIntervalSeconds = 3600;
/** The share of permissions-off throughput the acceptance asks for. */
const targetRatio = 0.7;
/** The routes the target applies to; `by-name` is shown for reference. */
const targetRoutes = new Set([
  'GET /entities/by-query',
  'GET /entity-facets',
  'GET /entities (filter, fields)',
  'GET /entities/by-query, uncached',
  'GET /entity-facets, uncached',
  'GET /entities, uncached',
]);
/** Distinct paths per uncached route: more than one run sends. */
const uncachedPaths = 20_000;

type Permissions = NonNullable<StartCatalogBackendOptions['permissions']>;

interface Variant {
  label: string;
  permissions: Permissions;
}

const variants: Variant[] = [
  { label: 'off', permissions: { enabled: false, read: 'everyone' } },
  {
    label: 'on, everyone reads',
    permissions: { enabled: true, read: 'everyone' },
  },
  { label: 'on, read: owners', permissions: { enabled: true, read: 'owners' } },
];

/** Options for {@link comparePermissions}. */
export interface ComparePermissionsOptions {
  args: BenchArgs;
  catalog: GeneratedCatalog;
  workDirectory: string;
  /** An empty database, for this comparison only. */
  database: BenchDatabaseConfig;
  print(line: string): void;
}

/**
 * Ingests the catalog, then measures the variants and prints the table.
 * @throws Error when a backend exits or a route fails its first request.
 */
export async function comparePermissions(
  options: ComparePermissionsOptions,
): Promise<void> {
  const { catalog, print } = options;
  const { owner } = catalog;
  const ownership = [owner.userRef, owner.groupRef];
  // Entities the user reads in every variant, so that by-name asks for
  // the same entities throughout.
  const visible = [
    ...owner.owned,
    ...catalog.names.user.map(name => `user/${name}`),
    ...catalog.names.group.map(name => `group/${name}`),
  ];
  print(
    `  permissions: '${owner.userRef}' owns ${owner.owned.length} of ${catalog.count} entities through '${owner.groupRef}'; each column is a backend restarted on the same data (ingested apart, processing interval ${quietProcessingIntervalSeconds} s), loaded with that user's token`,
  );
  await runBackend(options, variants[0].permissions, async () => undefined);
  const results: RouteResult[][] = [];
  for (const variant of variants) {
    results.push(
      await runBackend(options, variant.permissions, async backend => {
        const token = backend.signUserToken(owner.userRef, ownership);
        const seen = await countVisible(backend.origin, token);
        const expected =
          variant.permissions.enabled && variant.permissions.read === 'owners'
            ? ` (owned ${owner.owned.length} + users and groups ${visible.length - owner.owned.length} = ${visible.length})`
            : '';
        print(
          `    ${variant.label.padEnd(18)} the user reads ${seen}${expected}`,
        );
        return loadTestRoutes(
          backend,
          [
            ...listBenchRoutes(catalog, { byName: visible }),
            ...listUncachedRoutes(),
          ],
          { ...options.args, token },
        );
      }),
    );
  }
  printTable(results, print);
}

/**
 * The list, by-query and facets routes again, each request asking for a
 * label no entity has (a field to return, or a facet to count), so that
 * the catalog's read cache, whose key is the whole request, never
 * answers: every request runs its SQL, with the permission filter in it.
 */
function listUncachedRoutes(): BenchRoute[] {
  // targetRequestsPerSecond is the main figures' target; these are only
  // held to the comparison's ratio.
  const paths = (path: (i: number) => string) =>
    Array.from({ length: uncachedPaths }, (_, i) => path(i));
  return [
    {
      name: 'GET /entities/by-query, uncached',
      pattern: '/entities/by-query',
      paths: paths(
        i =>
          `/entities/by-query?filter=kind%3Dcomponent&limit=50&fields=kind,metadata.name,metadata.labels.absent-${i}`,
      ),
      targetRequestsPerSecond: 0,
    },
    {
      name: 'GET /entity-facets, uncached',
      pattern: '/entity-facets',
      paths: paths(
        i =>
          `/entity-facets?facet=kind&facet=spec.type&facet=metadata.labels.absent-${i}`,
      ),
      targetRequestsPerSecond: 0,
    },
    {
      name: 'GET /entities, uncached',
      pattern: '/entities',
      paths: paths(
        i =>
          `/entities?filter=kind%3Dcomponent%2Cspec.type%3Dservice&fields=metadata.name,metadata.labels.absent-${i}`,
      ),
      targetRequestsPerSecond: 0,
    },
  ];
}

async function runBackend<T>(
  options: ComparePermissionsOptions,
  permissions: Permissions,
  measure: (
    backend: Awaited<ReturnType<typeof startCatalogBackend>>,
  ) => Promise<T>,
): Promise<T> {
  const backend = await startCatalogBackend({
    workDirectory: options.workDirectory,
    locationFile: options.catalog.locationFile,
    database: options.database,
    permissions,
    processingIntervalSeconds: quietProcessingIntervalSeconds,
  });
  try {
    await Promise.race([
      waitForIngestion({
        backend,
        catalog: options.catalog,
        timeoutMs: options.args.timeoutSeconds * 1000,
      }),
      backend.exited,
    ]);
    return await Promise.race([measure(backend), backend.exited]);
  } finally {
    await backend.stop();
  }
}

/** The `totalItems` of an unfiltered `by-query` as the user. */
async function countVisible(origin: string, token: string): Promise<string> {
  const reply = await requestCatalog<{ totalItems?: number }>(
    origin,
    token,
    '/entities/by-query?limit=1&fields=metadata.name',
  );
  return reply.status === 200 && typeof reply.body?.totalItems === 'number'
    ? `${reply.body.totalItems} entities`
    : `nothing: by-query answered ${reply.status} ${JSON.stringify(reply.body)}`;
}

/** One column group per variant; the `on` ones add their ratio to `off`. */
function printTable(results: RouteResult[][], print: (line: string) => void) {
  const [off, ...on] = results;
  const group = (label: string, width: number) => ` | ${label.padEnd(width)}`;
  const figures = ` | ${'req/s'.padStart(6)} ${'p99 ms'.padStart(7)} ${'cpu ms'.padStart(6)}`;
  print(
    `    ${''.padEnd(33)}${group('permissions off', 21)}${on
      .map((_, v) => group(variants[v + 1].label, 36))
      .join('')} |`,
  );
  print(
    `    ${'route'.padEnd(33)}${figures}${`${figures} ${'req/s %'.padStart(7)} ${'cpu %'.padStart(6)}`.repeat(on.length)} |`,
  );
  const row = (result: RouteResult) =>
    ` | ${fixed(result.requestsPerSecond, 0, 6)} ${fixed(result.p99Ms, 1, 7)} ${fixed(result.cpuMsPerRequest, 2, 6)}`;
  const verdicts: string[] = [];
  off.forEach((base, r) => {
    const columns = [
      row(base),
      ...on.map(
        variant =>
          `${row(variant[r])} ${percent(variant[r].requestsPerSecond / base.requestsPerSecond, 7)} ${percent(base.cpuMsPerRequest / variant[r].cpuMsPerRequest, 6)}`,
      ),
    ];
    print(`    ${base.name.padEnd(33)}${columns.join('')} |`);
    if (targetRoutes.has(base.name)) {
      const worst = Math.min(
        ...on.map(v => v[r].requestsPerSecond / base.requestsPerSecond),
      );
      verdicts.push(
        `${base.name} ${percent(worst, 0)} ${worst >= targetRatio ? 'PASS' : 'MISS'}`,
      );
    }
  });
  print(
    `    'req/s %' is the throughput kept with permissions on, 'cpu %' the same from the backend process's CPU per request (off / on; steadier on a busy machine, but PostgreSQL's own CPU is not in it)`,
  );
  print(
    `    target: the list, by-query and facets routes keep >= ${targetRatio * 100}% of their permissions-off throughput in both variants: ${verdicts.join(', ')}`,
  );
  const failures = results.flatMap((variant, v) =>
    variant
      .filter(route => route.non2xx > 0 || route.errors > 0)
      .map(
        route =>
          `${variants[v].label}: ${route.name} ${route.non2xx} non-2xx, ${route.errors} connection errors`,
      ),
  );
  print(
    failures.length === 0
      ? '    every response 2xx   PASS'
      : `    non-2xx responses   MISS: ${failures.join('; ')}`,
  );
}

function percent(ratio: number, width: number): string {
  return `${(100 * ratio).toFixed(0)}%`.padStart(width);
}

function fixed(value: number, digits: number, width = 0): string {
  return value.toFixed(digits).padStart(width);
}
