/**
 * What must hold once the cluster is quiet again, read both as a client
 * sees it (through the load balancer) and in the catalog's tables.
 */
import type { PrivatePostgres } from './privatePostgres';
import type { StateEntity } from './providerState';

const catalogDatabase = 'plinth_plugin_catalog';
const recorderDatabase = 'plinth_plugin_clustertest';

/** The relation pairs of Backstage's built-in kinds, both ways. */
const inverse: Record<string, string> = {
  ownedBy: 'ownerOf',
  ownerOf: 'ownedBy',
  partOf: 'hasPart',
  hasPart: 'partOf',
  providesApi: 'apiProvidedBy',
  apiProvidedBy: 'providesApi',
  consumesApi: 'apiConsumedBy',
  apiConsumedBy: 'consumesApi',
  dependsOn: 'dependencyOf',
  dependencyOf: 'dependsOn',
  memberOf: 'hasMember',
  hasMember: 'memberOf',
  childOf: 'parentOf',
  parentOf: 'childOf',
};

/** The catalog's queues, from its tables. */
export interface CatalogProgress {
  rows: number;
  served: number;
  neverProcessed: number;
  stitchPending: number;
}

/** Counts rows of `refresh_state` and `final_entities`; zeros before the migrations ran. */
export async function readProgress(
  pg: PrivatePostgres,
): Promise<CatalogProgress> {
  try {
    const [row] = await pg.query<Record<keyof CatalogProgress, string>>(
      catalogDatabase,
      `SELECT (SELECT count(*) FROM refresh_state) AS rows,
         (SELECT count(*) FROM final_entities) AS served,
         (SELECT count(*) FROM refresh_state WHERE processed_entity IS NULL) AS "neverProcessed",
         (SELECT count(*) FROM stitch_queue) AS "stitchPending"`,
    );
    return {
      rows: Number(row.rows),
      served: Number(row.served),
      neverProcessed: Number(row.neverProcessed),
      stitchPending: Number(row.stitchPending),
    };
  } catch {
    return { rows: 0, served: 0, neverProcessed: 0, stitchPending: 0 };
  }
}

/**
 * Consistent: the tables hold exactly the expected entities, all processed
 * and stitched, and the load balancer serves that many.
 */
export async function isConsistent(
  pg: PrivatePostgres,
  origin: string,
  token: string,
  expected: StateEntity[],
): Promise<boolean> {
  const progress = await readProgress(pg);
  if (
    progress.rows !== expected.length ||
    progress.served !== expected.length ||
    progress.neverProcessed !== 0 ||
    progress.stitchPending !== 0
  ) {
    return false;
  }
  try {
    const response = await fetch(
      `${origin}/api/catalog/entities/by-query?limit=1&fields=kind`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    if (!response.ok) {
      return false;
    }
    const body = (await response.json()) as { totalItems: number };
    return body.totalItems === expected.length;
  } catch {
    return false;
  }
}

/** The breaches of every invariant about entities; empty when all hold. */
export async function checkEntityInvariants(
  pg: PrivatePostgres,
  origin: string,
  token: string,
  expected: StateEntity[],
): Promise<string[]> {
  const breaches: string[] = [];
  const served = await readAllEntities(origin, token);
  const expectedRelations = collectRelations(expected);
  const seenRefs = new Set<string>();
  const seenUids = new Set<string>();
  for (const entity of served) {
    const ref = toRef(entity.kind, entity.metadata.name);
    if (seenRefs.has(ref)) breaches.push(`entity '${ref}' is served twice`);
    if (seenUids.has(entity.metadata.uid))
      breaches.push(`uid '${entity.metadata.uid}' is served twice`);
    seenRefs.add(ref);
    seenUids.add(entity.metadata.uid);
    const want = expectedRelations.get(ref);
    if (!want) {
      breaches.push(
        `entity '${ref}' is served but the provider no longer gives it`,
      );
      continue;
    }
    const have = new Set(
      (entity.relations ?? []).map(
        r => `${r.type} ${r.targetRef.toLocaleLowerCase('en-US')}`,
      ),
    );
    const missing = [...want].filter(r => !have.has(r));
    const extra = [...have].filter(r => !want.has(r));
    if (missing.length || extra.length) {
      breaches.push(
        `entity '${ref}' has wrong relations: missing [${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}], unexpected [${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ', ...' : ''}]`,
      );
    }
  }
  for (const ref of expectedRelations.keys()) {
    if (!seenRefs.has(ref)) breaches.push(`entity '${ref}' is missing`);
  }
  const [stuck] = await pg.query<Record<string, string>>(
    catalogDatabase,
    `SELECT
       count(*) FILTER (WHERE processed_entity IS NULL) AS "never processed",
       count(*) FILTER (WHERE entity_id IN (SELECT entity_id FROM stitch_queue)) AS "waiting for a stitch",
       count(*) FILTER (WHERE errors IS NOT NULL AND errors <> '[]') AS "with processing errors",
       count(*) FILTER (WHERE next_update_at < now() - interval '60 seconds') AS "overdue for processing by over 60 s",
       count(*) FILTER (WHERE entity_id NOT IN (SELECT entity_id FROM final_entities)) AS "not served"
     FROM refresh_state`,
  );
  for (const [what, count] of Object.entries(stuck)) {
    if (Number(count) > 0) breaches.push(`${count} refresh_state rows ${what}`);
  }
  // Overlapping stitches of one entity once inserted its search rows twice,
  // which filters and facets then counted twice.
  const [twice] = await pg.query<{ rows: string; entities: string }>(
    catalogDatabase,
    `SELECT count(*) AS rows, count(DISTINCT entity_id) AS entities
     FROM (
       SELECT entity_id FROM search
       GROUP BY entity_id, key, original_value, value
       HAVING count(*) > 1
     ) AS duplicated`,
  );
  if (Number(twice.rows) > 0) {
    breaches.push(
      `${twice.rows} search rows of ${twice.entities} entities are stored twice`,
    );
  }
  return breaches.slice(0, 40);
}

/** One run of the global recorder task. */
export interface TaskRun {
  replica: string;
  started_at: Date;
  ended_at: Date | null;
  fencing_token: string | null;
}

/** Breaches of "the global task never runs twice at once". */
export async function checkTaskRuns(pg: PrivatePostgres): Promise<{
  runs: TaskRun[];
  unfinished: number;
  fenced: number;
  breaches: string[];
}> {
  const runs = await pg.query<TaskRun>(
    recorderDatabase,
    'SELECT replica, started_at, ended_at, fencing_token FROM task_runs ORDER BY started_at, id',
  );
  const breaches: string[] = [];
  // Unfinished runs (their replica was killed, or their last write failed
  // with the database) have no end and are only counted.
  let latest: TaskRun | undefined;
  for (const run of runs) {
    if (latest?.ended_at && run.started_at < latest.ended_at) {
      breaches.push(
        `global task runs overlap: ${latest.replica} ${iso(latest.started_at)}..${iso(latest.ended_at)} and ${run.replica} from ${iso(run.started_at)}`,
      );
    }
    if (run.ended_at && (!latest?.ended_at || run.ended_at > latest.ended_at)) {
      latest = run;
    }
  }
  // The fencing token of the scheduler's lease (see clusterBackend.js)
  // must grow strictly from run to run in start order, and every run must
  // have one: a check over no runs, or over runs without tokens, proves
  // nothing.
  if (runs.length === 0) {
    breaches.push(
      'the global task never ran, so its overlap and fencing went unchecked',
    );
  }
  const tokens = runs.filter(r => r.fencing_token !== null);
  if (tokens.length < runs.length) {
    breaches.push(
      `${runs.length - tokens.length} of ${runs.length} global task runs had no fencing token: the scheduler passed no lease`,
    );
  }
  for (let i = 1; i < tokens.length; i++) {
    if (
      BigInt(tokens[i].fencing_token!) <= BigInt(tokens[i - 1].fencing_token!)
    ) {
      breaches.push(
        `fencing token did not grow: ${tokens[i - 1].fencing_token} then ${tokens[i].fencing_token} (${tokens[i].replica} at ${iso(tokens[i].started_at)})`,
      );
    }
  }
  return {
    runs,
    unfinished: runs.filter(r => !r.ended_at).length,
    fenced: tokens.length,
    breaches: breaches.slice(0, 20),
  };
}

interface ServedEntity {
  kind: string;
  metadata: { name: string; uid: string };
  relations?: Array<{ type: string; targetRef: string }>;
}

async function readAllEntities(
  origin: string,
  token: string,
): Promise<ServedEntity[]> {
  const entities: ServedEntity[] = [];
  let cursor: string | undefined;
  do {
    const query = cursor
      ? `cursor=${encodeURIComponent(cursor)}`
      : 'limit=2000&fields=kind,metadata.name,metadata.uid,relations';
    const response = await fetch(
      `${origin}/api/catalog/entities/by-query?${query}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    if (!response.ok) {
      throw new Error(
        `Reading all entities failed: ${response.status} ${await response.text()}`,
      );
    }
    const page = (await response.json()) as {
      items: ServedEntity[];
      pageInfo: { nextCursor?: string };
    };
    entities.push(...page.items);
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return entities;
}

/** Every relation each entity must have, from the specs of all of them. */
function collectRelations(entities: StateEntity[]): Map<string, Set<string>> {
  const relations = new Map<string, Set<string>>();
  const add = (source: string, type: string, target: string) => {
    relations.get(source)?.add(`${type} ${target}`);
  };
  for (const entity of entities) {
    relations.set(toRef(entity.kind, entity.metadata.name), new Set());
  }
  for (const { kind, metadata, spec } of entities) {
    const self = toRef(kind, metadata.name);
    const link = (type: string, targetKind: string, name: unknown) => {
      const [k, n] = String(name).includes(':')
        ? String(name).split(':')
        : [targetKind, String(name)];
      const target = toRef(k, n);
      add(self, type, target);
      add(target, inverse[type], self);
    };
    const many = (field: string) =>
      Array.isArray(spec[field]) ? (spec[field] as unknown[]) : [];
    const one = (field: string) =>
      spec[field] === undefined ? [] : [spec[field]];
    one('owner').forEach(v => link('ownedBy', 'group', v));
    one('system').forEach(v => link('partOf', 'system', v));
    one('domain').forEach(v => link('partOf', 'domain', v));
    one('parent').forEach(v => link('childOf', 'group', v));
    many('children').forEach(v => link('parentOf', 'group', v));
    many('memberOf').forEach(v => link('memberOf', 'group', v));
    many('providesApis').forEach(v => link('providesApi', 'api', v));
    many('consumesApis').forEach(v => link('consumesApi', 'api', v));
    many('dependsOn').forEach(v => link('dependsOn', 'resource', v));
  }
  return relations;
}

function toRef(kind: string, name: string): string {
  return `${kind}:default/${name}`.toLocaleLowerCase('en-US');
}

function iso(date: Date): string {
  return date.toISOString();
}
