/**
 * Times the reads whose cost could grow with the catalog: a deep page of
 * `GET /entities/by-query` against its first page, and facets counted over
 * the whole catalog. Every timed request differs from the others by a
 * value that changes nothing in its answer's cost (an extra field to
 * project, an extra facet no entity has), so that the backend's answer
 * cache, which serves a repeated request from memory, answers none of them
 * whole. Pages are then the database's figures. Facet counts are kept per
 * facet for as long as the catalog does not change, so each facet is
 * counted in the database on its first request only: the first round is
 * reported apart, and the p99 covers every request.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { GeneratedCatalog } from './generateCatalog';
import { requestCatalog } from './requestCatalog';
import type { CatalogBackendProcess } from './startCatalogBackend';
import type { IngestionResult } from './waitForIngestion';
import type { RssSample, RssWatch } from './watchRss';

/** What {@link measureDeepReads} found. */
export interface DeepReadsResult {
  pageSize: number;
  /** The page compared with page 1: 1,000, or the last full page. */
  deepPage: number;
  /** Median time to answer page 1 (with its total count), ms. */
  firstPageMedianMs: number;
  /** Median time to answer the deep page from its cursor, ms. */
  deepPageMedianMs: number;
  /** The facet requests timed. */
  facetRequests: number;
  facetsP50Ms: number;
  facetsP99Ms: number;
  /** The slowest request of the first round, which counts each facet. */
  facetsFirstRoundMaxMs: number;
  /** The facets each request counted, besides its extra one. */
  facets: string[];
}

const pageSize = 50;
const deepestPage = 1000;
const pageRounds = 15;
const facetRounds = 20;
const facetSets = [
  ['kind'],
  ['spec.type'],
  ['spec.owner'],
  ['metadata.tags'],
  ['kind', 'spec.type', 'spec.owner', 'metadata.tags'],
];

/**
 * Walks the cursor to page 1,000 (or the last full page), then times page
 * 1 and that page in turn, and the facet requests, one at a time.
 * @throws Error naming the request the catalog did not answer with 200.
 */
export async function measureDeepReads(
  backend: CatalogBackendProcess,
  totalEntities: number,
): Promise<DeepReadsResult> {
  const deepPage = Math.max(
    2,
    Math.min(deepestPage, Math.floor(totalEntities / pageSize)),
  );
  const cursor = await walkToPage(backend, deepPage);
  const firstTimes: number[] = [];
  const deepTimes: number[] = [];
  // Interleaved, so that other load on the machine weighs on both alike.
  for (let round = 0; round < pageRounds; round++) {
    firstTimes.push(await timePage(backend, undefined));
    deepTimes.push(await timePage(backend, cursor));
  }
  const facetTimes: number[] = [];
  for (let round = 0; round < facetRounds; round++) {
    for (const facets of facetSets) {
      facetTimes.push(await timeFacets(backend, facets));
    }
  }
  const firstRound = facetTimes.slice(0, facetSets.length);
  return {
    pageSize,
    deepPage,
    firstPageMedianMs: percentile(firstTimes, 0.5),
    deepPageMedianMs: percentile(deepTimes, 0.5),
    facetRequests: facetTimes.length,
    facetsP50Ms: percentile(facetTimes, 0.5),
    facetsP99Ms: percentile(facetTimes, 0.99),
    facetsFirstRoundMaxMs: Math.max(...firstRound),
    facets: facetSets[facetSets.length - 1],
  };
}

interface PageBody {
  items: unknown[];
  pageInfo: { nextCursor?: string };
}

/** The cursor of page `page`, reading only names on the way. */
async function walkToPage(
  backend: CatalogBackendProcess,
  page: number,
): Promise<string> {
  let cursor: string | undefined;
  for (let current = 1; current < page; current++) {
    const query = new URLSearchParams({
      limit: String(pageSize),
      fields: 'metadata.name',
    });
    if (cursor) {
      query.set('cursor', cursor);
    }
    const body = await read<PageBody>(
      backend,
      `/entities/by-query?${query.toString()}`,
    );
    cursor = body.pageInfo.nextCursor;
    if (!cursor) {
      throw new Error(
        `GET /entities/by-query ended at page ${current}, before page ${page}; the catalog serves fewer entities than the benchmark generated.`,
      );
    }
  }
  return cursor!;
}

/** Page 1 when `cursor` is undefined; whole entities, as a client reads them. */
async function timePage(
  backend: CatalogBackendProcess,
  cursor: string | undefined,
): Promise<number> {
  const query = new URLSearchParams({
    limit: String(pageSize),
    fields: `apiVersion,kind,metadata,spec,relations,status,${nonce()}`,
  });
  if (cursor) {
    query.set('cursor', cursor);
  }
  const started = performance.now();
  const body = await read<PageBody>(
    backend,
    `/entities/by-query?${query.toString()}`,
  );
  const elapsed = performance.now() - started;
  if (body.items.length !== pageSize) {
    throw new Error(
      `GET /entities/by-query answered ${body.items.length} entities instead of ${pageSize}${cursor ? ' on the deep page' : ' on page 1'}.`,
    );
  }
  return elapsed;
}

async function timeFacets(
  backend: CatalogBackendProcess,
  facets: string[],
): Promise<number> {
  const query = new URLSearchParams();
  for (const facet of [...facets, nonce()]) {
    query.append('facet', facet);
  }
  const started = performance.now();
  await read(backend, `/entity-facets?${query.toString()}`);
  return performance.now() - started;
}

async function read<T>(
  backend: CatalogBackendProcess,
  path: string,
): Promise<T> {
  const reply = await requestCatalog<T>(backend.origin, backend.token, path);
  if (reply.status !== 200 || reply.body === undefined) {
    throw new Error(
      `GET ${path.split('?')[0]} answered ${reply.status} to the deep-read benchmark: ${JSON.stringify(reply.body)}.`,
    );
  }
  return reply.body;
}

/** A field path no entity has, unique to one request. */
function nonce(): string {
  return `metadata.annotations.bench-${randomBytes(6).toString('hex')}`;
}

/** The nearest-rank percentile `p` (0-1] of `values`. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/** What {@link printDeepReads} needs of the run so far. */
export interface PrintDeepReadsOptions {
  backend: CatalogBackendProcess;
  catalog: GeneratedCatalog;
  ingestion: IngestionResult;
  /** The memory sample taken when ingestion was confirmed. */
  ingestedRss: RssSample;
  rss: RssWatch;
  print(line: string): void;
}

/**
 * Measures the deep reads and prints them against their targets, with
 * whether the backend's memory stayed flat from the middle of ingestion
 * through every read so far, and the machine's load beside the figures.
 */
export async function printDeepReads(
  options: PrintDeepReadsOptions,
): Promise<void> {
  const { backend, catalog, ingestion, ingestedRss, rss, print } = options;
  const loadBefore = loadavg()[0];
  const result = await measureDeepReads(backend, catalog.count);
  const load = `load ${fixed(loadBefore, 1)}-${fixed(loadavg()[0], 1)}`;
  const ratio = result.deepPageMedianMs / result.firstPageMedianMs;
  print(
    `  by-query page ${result.deepPage} vs page 1 (limit ${result.pageSize}, median of ${pageRounds}) ${fixed(result.deepPageMedianMs, 1)} ms vs ${fixed(result.firstPageMedianMs, 1)} ms, ${fixed(ratio * 100 - 100, 0)}%   target within 20%   ${verdict(Math.abs(ratio - 1) <= 0.2)}   ${load}`,
  );
  print(
    `  facets over the catalog (${result.facetRequests} requests of ${result.facets.join(', ')}, each with a new facet) p50 ${fixed(result.facetsP50Ms, 1)} ms  p99 ${fixed(result.facetsP99Ms, 1)} ms (first round, counting each facet: slowest ${fixed(result.facetsFirstRoundMaxMs, 0)} ms)   target p99 < ${facetsTargetMs} ms   ${verdict(result.facetsP99Ms < facetsTargetMs)}`,
  );
  const middle = ingestion.stitchedMs / 2;
  const readsRss = rss.sampleNow();
  const early = rss.highestBetween(0, middle);
  const late = rss.highestBetween(middle, readsRss.atMs);
  const growth = late.mib / early.mib - 1;
  print(
    `  RSS ${fixed(rss.sampleNear(middle).mib, 0)} MiB at half of ingestion, ${fixed(ingestedRss.mib, 0)} MiB at its end (load ${fixed(ingestedRss.load, 1)}), ${fixed(readsRss.mib, 0)} MiB after the reads; highest after half of ingestion ${fixed(growth * 100, 0)}% over the highest before   target flat (<= 20%)   ${verdict(growth <= 0.2)}`,
  );
}

const facetsTargetMs = 50;

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'MISS';
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}
