/**
 * Loads the catalog's read routes with autocannon, one route at a time.
 */
import autocannon from 'autocannon';
import type { GeneratedCatalog } from './generateCatalog';
import { requestCatalog } from './requestCatalog';
import type { CatalogBackendProcess } from './startCatalogBackend';

/** A route under load and the throughput it should reach. */
export interface BenchRoute {
  name: string;
  /** Paths below `/api/catalog`, used in turn. */
  paths: string[];
  targetRequestsPerSecond: number;
}

/** Options for {@link loadTestRoutes}. */
export interface LoadTestOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /**
   * The bearer token to send.
   * @defaultValue the backend's static token
   */
  token?: string;
}

/** What one route did under load. */
export interface RouteResult {
  name: string;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  targetRequestsPerSecond: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** CPU time of the backend process per answered request, in ms. */
  cpuMsPerRequest: number;
}

/**
 * The routes of the benchmark issue and their targets on PostgreSQL;
 * `by-name` asks for the entities `byName` lists (`<kind>/<name>`), by
 * default every generated one.
 */
export function listBenchRoutes(
  catalog: GeneratedCatalog,
  options?: { byName?: string[] },
): BenchRoute[] {
  const entities =
    options?.byName ??
    Object.entries(catalog.names).flatMap(([kind, names]) =>
      names.map(name => `${kind}/${name}`),
    );
  const byName = entities.map(entity => {
    const [kind, name] = entity.split('/');
    return `/entities/by-name/${kind}/default/${name}`;
  });
  const query = (params: Array<[string, string]>) =>
    `?${new URLSearchParams(params).toString()}`;
  return [
    {
      name: 'GET /entities/by-name',
      paths: shuffle(byName),
      targetRequestsPerSecond: 4000,
    },
    {
      name: 'GET /entities/by-query',
      paths: [
        `/entities/by-query${query([
          ['filter', 'kind=component'],
          ['limit', '50'],
        ])}`,
      ],
      targetRequestsPerSecond: 1000,
    },
    {
      name: 'GET /entity-facets',
      paths: [
        `/entity-facets${query([
          ['facet', 'kind'],
          ['facet', 'spec.type'],
        ])}`,
      ],
      targetRequestsPerSecond: 2000,
    },
    {
      name: 'GET /entities (filter, fields)',
      paths: [
        `/entities${query([
          ['filter', 'kind=component,spec.type=service'],
          ['fields', 'metadata.name'],
        ])}`,
      ],
      targetRequestsPerSecond: 500,
    },
  ];
}

/**
 * Checks that each route answers 200, then warms it up and measures it.
 * @throws Error naming the route when its first request fails.
 */
export async function loadTestRoutes(
  backend: CatalogBackendProcess,
  routes: BenchRoute[],
  options: LoadTestOptions,
): Promise<RouteResult[]> {
  const results: RouteResult[] = [];
  for (const route of routes) {
    const first = await requestCatalog(
      backend.origin,
      options.token ?? backend.token,
      route.paths[0],
    );
    if (first.status !== 200) {
      throw new Error(
        `${route.name} answered ${first.status} to '${route.paths[0]}' before the load test: ${JSON.stringify(first.body)}.`,
      );
    }
    if (options.warmupSeconds > 0) {
      await runAutocannon(backend, route, options.warmupSeconds, options);
    }
    const cpuBefore = backend.readCpuMs();
    const result = await runAutocannon(
      backend,
      route,
      options.durationSeconds,
      options,
    );
    const cpuMs = backend.readCpuMs() - cpuBefore;
    results.push({
      name: route.name,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requestsPerSecond: result.requests.average,
      targetRequestsPerSecond: route.targetRequestsPerSecond,
      non2xx: result.non2xx,
      errors: result.errors,
      cpuMsPerRequest: cpuMs / Math.max(1, result.requests.total),
    });
  }
  return results;
}

function runAutocannon(
  backend: CatalogBackendProcess,
  route: BenchRoute,
  durationSeconds: number,
  options: LoadTestOptions,
): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: backend.origin,
    connections: options.connections,
    duration: durationSeconds,
    headers: { authorization: `Bearer ${options.token ?? backend.token}` },
    requests: [
      {
        method: 'GET',
        setupRequest: request => {
          const path = route.paths[next % route.paths.length];
          next += 1;
          return { ...request, path: `/api/catalog${path}` };
        },
      },
    ],
  });
}

/** The same order every run, but not the order the names were generated in. */
function shuffle<T>(items: T[]): T[] {
  const result = [...items];
  let state = 7;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}
