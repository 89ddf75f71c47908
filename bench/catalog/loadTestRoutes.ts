/**
 * Loads the catalog's read routes as an external client does: from a
 * load generator process of its own, without `Accept-Encoding`, after a
 * warm-up, as the median of three rounds; optionally beside the ceiling,
 * a bare express app answering the same bytes on the same route, in
 * rounds that alternate with the catalog's so both see the same machine.
 */
import { join } from 'node:path';
import type { GeneratedCatalog } from './generateCatalog';
import { startLoadClient, type LoadClient, type LoadRound } from './loadClient';
import {
  captureResponses,
  startPlainExpressCeiling,
  type PlainExpressCeiling,
} from './plainExpressCeiling';
import { requestCatalog } from './requestCatalog';
import type { CatalogBackendProcess } from './startCatalogBackend';

/** Rounds per route; the figures are their medians. */
const rounds = 3;
const catalogPrefix = '/api/catalog';

/** A route under load and the throughput it should reach. */
export interface BenchRoute {
  name: string;
  /** The route's express path pattern below `/api/catalog`. */
  pattern: string;
  /** Paths below `/api/catalog`, used in turn. */
  paths: string[];
  targetRequestsPerSecond: number;
}

/** Options for {@link loadTestRoutes}. */
export interface LoadTestOptions {
  connections: number;
  /** The length of each of the three measured rounds. */
  durationSeconds: number;
  warmupSeconds: number;
  /**
   * The bearer token to send.
   * @defaultValue the backend's static token
   */
  token?: string;
  /**
   * Also measures each route's plain express ceiling; the captured
   * answers are written to a file in this directory.
   * @defaultValue no ceiling
   */
  ceilingDirectory?: string;
}

/** Throughput and CPU of one server on one route, medians of the rounds. */
export interface ServerFigures {
  requestsPerSecond: number;
  /** CPU time of the server process per answered request, in ms. */
  cpuMsPerRequest: number;
}

/** What one route did under load. */
export interface RouteResult extends ServerFigures {
  name: string;
  p50Ms: number;
  p99Ms: number;
  targetRequestsPerSecond: number;
  /** Responses with a status other than 2xx, over all rounds. */
  non2xx: number;
  /** Connection errors and timeouts, over all rounds. */
  errors: number;
  /** Response bytes per request, headers included. */
  bytesPerRequest: number;
  /** The plain express server answering the same bytes, when measured. */
  ceiling?: ServerFigures;
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
      pattern: '/entities/by-name/:kind/:namespace/:name',
      paths: shuffle(byName),
      targetRequestsPerSecond: 4000,
    },
    {
      name: 'GET /entities/by-query',
      pattern: '/entities/by-query',
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
      pattern: '/entity-facets',
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
      pattern: '/entities',
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
 * Checks that each route answers 200, then warms it up and measures it,
 * alternating with its ceiling when one is asked for.
 * @throws Error naming the route when its first request fails.
 */
export async function loadTestRoutes(
  backend: CatalogBackendProcess,
  routes: BenchRoute[],
  options: LoadTestOptions,
): Promise<RouteResult[]> {
  const token = options.token ?? backend.token;
  for (const route of routes) {
    const first = await requestCatalog(backend.origin, token, route.paths[0]);
    if (first.status !== 200) {
      throw new Error(
        `${route.name} answered ${first.status} to '${route.paths[0]}' before the load test: ${JSON.stringify(first.body)}.`,
      );
    }
  }
  const client = startLoadClient();
  let ceiling: PlainExpressCeiling | undefined;
  try {
    if (options.ceilingDirectory) {
      ceiling = await startCeiling(
        backend,
        routes,
        token,
        options.ceilingDirectory,
      );
    }
    const results: RouteResult[] = [];
    for (const route of routes) {
      results.push(
        await measureRoute(
          client,
          route,
          options,
          {
            origin: backend.origin,
            headers: { authorization: `Bearer ${token}` },
            readCpuMs: () => backend.readCpuMs(),
          },
          ceiling,
        ),
      );
    }
    return results;
  } finally {
    client.stop();
    ceiling?.stop();
  }
}

/** A server under load and how to read its CPU time. */
interface Server {
  origin: string;
  headers: Record<string, string>;
  readCpuMs(): number;
}

async function measureRoute(
  client: LoadClient,
  route: BenchRoute,
  options: LoadTestOptions,
  catalog: Server,
  ceiling: PlainExpressCeiling | undefined,
): Promise<RouteResult> {
  const paths = route.paths.map(path => `${catalogPrefix}${path}`);
  const servers: Server[] = [catalog];
  if (ceiling) {
    servers.push({ ...ceiling, headers: catalog.headers });
  }
  const load = (server: Server, durationSeconds: number) =>
    client.run({
      origin: server.origin,
      paths,
      headers: server.headers,
      connections: options.connections,
      durationSeconds,
    });
  if (options.warmupSeconds > 0) {
    for (const server of servers) {
      await load(server, options.warmupSeconds);
    }
  }
  const measured = servers.map(
    () => [] as Array<LoadRound & { cpuMs: number }>,
  );
  for (let round = 0; round < rounds; round++) {
    for (const [i, server] of servers.entries()) {
      const cpuBefore = server.readCpuMs();
      const result = await load(server, options.durationSeconds);
      measured[i].push({ ...result, cpuMs: server.readCpuMs() - cpuBefore });
    }
  }
  const [ours, plain] = measured.map(toFigures);
  const all = measured[0];
  return {
    name: route.name,
    ...ours,
    p50Ms: median(all.map(r => r.p50Ms)),
    p99Ms: median(all.map(r => r.p99Ms)),
    targetRequestsPerSecond: route.targetRequestsPerSecond,
    non2xx: sum(all.map(r => r.non2xx)),
    errors: sum(all.map(r => r.errors)),
    bytesPerRequest: median(all.map(r => r.bytesPerRequest)),
    ...(plain && { ceiling: plain }),
  };
}

async function startCeiling(
  backend: CatalogBackendProcess,
  routes: BenchRoute[],
  token: string,
  directory: string,
): Promise<PlainExpressCeiling> {
  const captured = [];
  for (const route of routes) {
    captured.push(
      await captureResponses({
        origin: backend.origin,
        token,
        pattern: `${catalogPrefix}${route.pattern}`,
        paths: route.paths.map(path => `${catalogPrefix}${path}`),
      }),
    );
  }
  return startPlainExpressCeiling(
    captured,
    join(directory, 'ceiling-responses.json'),
  );
}

function toFigures(
  results: Array<LoadRound & { cpuMs: number }>,
): ServerFigures {
  return {
    requestsPerSecond: median(results.map(r => r.requestsPerSecond)),
    cpuMsPerRequest: median(results.map(r => r.cpuMs / Math.max(1, r.total))),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
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
