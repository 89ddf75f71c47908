/**
 * Polls a benchmark backend until the catalog serves every generated
 * entity with exactly the relations its files declare, in both directions.
 */
import { benchLabel, type GeneratedCatalog } from './generateCatalog';
import { requestCatalog } from './requestCatalog';
import type { CatalogBackendProcess } from './startCatalogBackend';

/**
 * The least wait between polls; a poll that took longer is followed by as
 * long a wait, so that polling costs the backend at most half its time.
 */
const pollIntervalMs = 100;
const sampleSize = 140;
const pageSize = 1000;
const relationFields = 'kind,metadata.name,metadata.namespace,relations';
const generatedFilter = `metadata.labels.${benchLabel.key}=${benchLabel.value}`;

interface ServedEntity {
  kind: string;
  metadata: { name: string; namespace?: string };
  relations?: Array<{ type: string; targetRef: string }>;
}

/** When the catalog was complete, in ms after the backend was spawned. */
export interface IngestionResult {
  /**
   * Every generated entity was served (with or without all relations), as
   * first counted once the sample was complete.
   */
  countedMs: number;
  /**
   * Every generated entity was served with all its relations; the time at
   * which a full read of the catalog confirmed it.
   */
  stitchedMs: number;
}

/**
 * Waits for ingestion; checks a sample of entities while polling and,
 * once the sample is complete, every entity.
 * @throws Error naming what is still missing when `timeoutMs` passes, or
 *   when the catalog refuses the benchmark's requests.
 */
export async function waitForIngestion(options: {
  backend: CatalogBackendProcess;
  catalog: GeneratedCatalog;
  timeoutMs: number;
}): Promise<IngestionResult> {
  const { backend, catalog, timeoutMs } = options;
  const elapsed = () => performance.now() - backend.spawnedAt;
  const sample = pickSample(catalog);
  let countedMs: number | undefined;
  let problem = 'the backend has not answered yet';
  while (elapsed() < timeoutMs) {
    const pollStarted = performance.now();
    // The sample first: reading 140 entities by ref costs the backend next
    // to nothing, where counting every generated entity reads the whole
    // search index (300 ms at 100,000 entities, which polled back to back
    // took half a core from the ingestion it measures). The count and the
    // full check wait until the sample is complete.
    const sampleProblem = await checkSample(backend, catalog, sample);
    if (sampleProblem) {
      problem = sampleProblem;
    } else {
      const count = await readGeneratedCount(backend);
      if (count === catalog.count) {
        countedMs ??= elapsed();
        problem = (await checkEverything(backend, catalog)) ?? '';
        if (!problem) {
          return { countedMs, stitchedMs: elapsed() };
        }
      } else if (count !== undefined) {
        problem = `${count} of ${catalog.count} generated entities are served`;
      }
    }
    const pollMs = performance.now() - pollStarted;
    await new Promise(done =>
      setTimeout(done, Math.max(pollIntervalMs, pollMs)),
    );
  }
  throw new Error(
    `The catalog did not serve all ${catalog.count} generated entities with their relations within ${timeoutMs / 1000} s: ${problem}.`,
  );
}

/** The number of generated entities served; undefined while starting. */
async function readGeneratedCount(
  backend: CatalogBackendProcess,
): Promise<number | undefined> {
  // No page, only the total: the count reads the search index alone.
  const query = new URLSearchParams({ filter: generatedFilter, limit: '0' });
  const reply = await requestCatalog<{ totalItems: number }>(
    backend.origin,
    backend.token,
    `/entities/by-query?${query.toString()}`,
  ).catch(() => undefined);
  if (!reply) {
    return undefined;
  }
  if ([400, 401, 403].includes(reply.status)) {
    throw new Error(
      `The catalog refused GET /entities/by-query with ${reply.status}: ${JSON.stringify(reply.body)}.`,
    );
  }
  return reply.status === 200 ? reply.body?.totalItems : undefined;
}

async function checkSample(
  backend: CatalogBackendProcess,
  catalog: GeneratedCatalog,
  refs: string[],
): Promise<string | undefined> {
  const reply = await requestCatalog<{ items: Array<ServedEntity | null> }>(
    backend.origin,
    backend.token,
    '/entities/by-refs',
    {
      method: 'POST',
      body: { entityRefs: refs, fields: relationFields.split(',') },
    },
  ).catch(() => undefined);
  if (!reply) {
    return 'the backend has not answered yet';
  }
  if ([400, 401, 403].includes(reply.status)) {
    throw new Error(
      `The catalog refused POST /entities/by-refs with ${reply.status}: ${JSON.stringify(reply.body)}.`,
    );
  }
  if (reply.status !== 200 || !reply.body) {
    return `POST /entities/by-refs answered ${reply.status}`;
  }
  const served = reply.body.items.filter(
    (item): item is ServedEntity => item !== null,
  );
  return describeMismatches(catalog, refs, served);
}

async function checkEverything(
  backend: CatalogBackendProcess,
  catalog: GeneratedCatalog,
): Promise<string | undefined> {
  const served: ServedEntity[] = [];
  // Every entity, Locations too, which the check passes over: pages in id
  // order alone follow the primary key, where a filter's deep pages would
  // first collect every id it matches, seconds each at 100,000 entities.
  let query = new URLSearchParams({
    limit: String(pageSize),
    fields: relationFields,
  });
  for (;;) {
    const reply = await requestCatalog<{
      items: ServedEntity[];
      pageInfo: { nextCursor?: string };
    }>(backend.origin, backend.token, `/entities/by-query?${query.toString()}`);
    if (reply.status !== 200 || !reply.body) {
      return `GET /entities/by-query answered ${reply.status}`;
    }
    served.push(...reply.body.items);
    const cursor = reply.body.pageInfo.nextCursor;
    if (!cursor) {
      break;
    }
    query = new URLSearchParams({ cursor, limit: String(pageSize) });
    query.set('fields', relationFields);
  }
  return describeMismatches(
    catalog,
    [...catalog.expectedRelations.keys()],
    served,
  );
}

/** Which expected relations are missing or unexpected, briefly. */
function describeMismatches(
  catalog: GeneratedCatalog,
  refs: string[],
  served: ServedEntity[],
): string | undefined {
  const byRef = new Map(
    served.map(entity => [
      `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLocaleLowerCase(
        'en-US',
      ),
      entity,
    ]),
  );
  const problems: string[] = [];
  let entitiesWithProblems = 0;
  for (const ref of refs) {
    const entity = byRef.get(ref);
    const expected = catalog.expectedRelations.get(ref) ?? new Set<string>();
    if (!entity) {
      problems.push(`'${ref}' is not served`);
      entitiesWithProblems += 1;
      continue;
    }
    const actual = new Set(
      (entity.relations ?? []).map(
        r => `${r.type} ${r.targetRef.toLocaleLowerCase('en-US')}`,
      ),
    );
    const missing = [...expected].filter(r => !actual.has(r));
    const extra = [...actual].filter(r => !expected.has(r));
    if (missing.length || extra.length) {
      entitiesWithProblems += 1;
      problems.push(
        ...missing.map(r => `'${ref}' lacks '${r}'`),
        ...extra.map(r => `'${ref}' has the unexpected '${r}'`),
      );
    }
  }
  if (problems.length === 0) {
    return undefined;
  }
  const more = problems.length - 3;
  return `${problems.slice(0, 3).join('; ')}${more > 0 ? ` (and ${more} more problems)` : ''}, in ${entitiesWithProblems} of ${refs.length} checked entities`;
}

/**
 * Entities spread over every kind, the group tree's root and the large
 * group (whose relations are the last to be complete) included.
 */
function pickSample(catalog: GeneratedCatalog): string[] {
  const kinds = Object.keys(catalog.names);
  const perKind = Math.ceil(sampleSize / kinds.length);
  const spread = kinds.flatMap(kind => {
    const names = catalog.names[kind];
    const step = Math.max(1, Math.floor(names.length / perKind));
    return names
      .filter((_, i) => i % step === 0)
      .slice(0, perKind)
      .map(name => `${kind}:default/${name}`);
  });
  return catalog.largeGroup ? [catalog.largeGroup.ref, ...spread] : spread;
}
