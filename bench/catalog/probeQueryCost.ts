/**
 * Times the requests a reader could make the catalog pay the most for:
 * one over a cap, which must be refused before it reaches the database,
 * and one at every cap of each read route, which must finish within the
 * statement timeout. Each request carries a fresh value so that no cache
 * answers it.
 */
import { randomBytes } from 'node:crypto';
import type { GeneratedCatalog } from './generateCatalog';
import { requestCatalog } from './requestCatalog';
import type { CatalogBackendProcess } from './startCatalogBackend';

/** One probed request and what it cost. */
export interface CostProbe {
  name: string;
  /** The status the request must answer with. */
  expectedStatus: number;
  status: number;
  /** The slowest of the tries. */
  slowestMs: number;
  targetMs: number;
}

const tries = 3;
/** The defaults of `catalog.queryLimits` the backend runs with. */
const caps = {
  filterSets: 50,
  filterConditions: 200,
  orderFields: 5,
  fields: 50,
  fullTextFields: 10,
  facets: 50,
  entityRefs: 1000,
  statementTimeoutMs: 10_000,
};
const refusalTargetMs = 100;

/**
 * Sends each probe {@link tries} times, one at a time, and reports the
 * slowest answer and its status.
 */
export async function probeQueryCost(
  backend: CatalogBackendProcess,
  catalog: GeneratedCatalog,
): Promise<CostProbe[]> {
  const probes = listProbes(catalog);
  const results: CostProbe[] = [];
  for (const probe of probes) {
    let slowestMs = 0;
    let status = probe.expectedStatus;
    for (let i = 0; i < tries; i++) {
      const nonce = randomBytes(6).toString('hex');
      const { path, body } = probe.request(nonce);
      const started = performance.now();
      const reply = await requestCatalog(
        backend.origin,
        backend.token,
        path,
        body === undefined ? undefined : { method: 'POST', body },
      );
      slowestMs = Math.max(slowestMs, performance.now() - started);
      if (reply.status !== probe.expectedStatus) {
        status = reply.status;
      }
    }
    results.push({
      name: probe.name,
      expectedStatus: probe.expectedStatus,
      status,
      slowestMs,
      targetMs: probe.targetMs,
    });
  }
  return results;
}

interface Probe {
  name: string;
  expectedStatus: number;
  targetMs: number;
  request(nonce: string): { path: string; body?: unknown };
}

function listProbes(catalog: GeneratedCatalog): Probe[] {
  const components = catalog.names.component;
  const orderBy = (count: number, parameter: 'order' | 'orderField') =>
    orderFields(count).map((field, i): [string, string] => [
      parameter,
      parameter === 'order'
        ? `${i % 2 ? 'desc' : 'asc'}:${field}`
        : `${field},${i % 2 ? 'desc' : 'asc'}`,
    ]);
  return [
    {
      name: 'GET /entities, 50 order fields',
      expectedStatus: 400,
      targetMs: refusalTargetMs,
      request: nonce => ({
        path: `/entities?${query([
          ['filter', `metadata.name=${nonce}`],
          ...orderBy(50, 'order'),
        ])}`,
      }),
    },
    {
      name: 'GET /entities at every cap',
      expectedStatus: 200,
      targetMs: caps.statementTimeoutMs,
      request: nonce => ({
        path: `/entities?${query([
          ...filterSets(nonce),
          ...orderBy(caps.orderFields, 'order'),
          ...fields().map((field): [string, string] => ['fields', field]),
          ['limit', '10000'],
        ])}`,
      }),
    },
    {
      name: 'GET /entities/by-query at every cap',
      expectedStatus: 200,
      targetMs: caps.statementTimeoutMs,
      request: nonce => ({
        path: `/entities/by-query?${query([
          ...filterSets(nonce),
          ...orderBy(caps.orderFields, 'orderField'),
          ['fullTextFilterTerm', 'e'],
          ['fullTextFilterFields', fullTextFields().join(',')],
          ...fields().map((field): [string, string] => ['fields', field]),
          ['limit', '10000'],
        ])}`,
      }),
    },
    {
      name: 'GET /entity-facets at every cap',
      expectedStatus: 200,
      targetMs: caps.statementTimeoutMs,
      request: nonce => ({
        path: `/entity-facets?${query([
          ...filterSets(nonce),
          ...fields()
            .slice(0, caps.facets)
            .map((field): [string, string] => ['facet', field]),
        ])}`,
      }),
    },
    {
      name: 'POST /entities/by-refs at every cap',
      expectedStatus: 200,
      targetMs: caps.statementTimeoutMs,
      request: nonce => ({
        path: `/entities/by-refs?${query(filterSets(nonce))}`,
        body: {
          entityRefs: Array.from({ length: caps.entityRefs }, (_, i) =>
            i % 2
              ? `component:default/${components[i % components.length]}`
              : `component:default/missing-${nonce}-${i}`,
          ),
          fields: fields(),
        },
      }),
    },
  ];
}

/**
 * As many filter sets as allowed, with the conditions spread over them up
 * to the cap; each set is as broad as the data allows and tests other
 * columns than its neighbours, and the first carries the nonce.
 */
function filterSets(nonce: string): Array<[string, string]> {
  const conditions = [
    'kind=component',
    'kind=api',
    'kind=resource',
    'metadata.labels.plinth-bench=generated',
    'spec.lifecycle=production',
    'spec.lifecycle=experimental',
    'spec.type',
    'metadata.annotations.backstage.io/techdocs-ref',
    'relations.ownedBy',
    'metadata.tags=typescript',
    'metadata.tags=java',
  ];
  const perSet = Math.floor(caps.filterConditions / caps.filterSets);
  return Array.from({ length: caps.filterSets }, (_, s): [string, string] => {
    const set = Array.from(
      { length: perSet },
      (__, c) => conditions[(s * perSet + c) % conditions.length],
    );
    if (s === 0) {
      set[0] = `metadata.uid=${nonce}`;
    }
    return ['filter', set.join(',')];
  });
}

function orderFields(count: number): string[] {
  const known = [
    'metadata.name',
    'spec.owner',
    'spec.type',
    'metadata.description',
    'spec.lifecycle',
  ];
  return Array.from({ length: count }, (_, i) =>
    i < known.length ? known[i] : `metadata.annotations.order-${i}`,
  );
}

/** As many field paths as allowed: the entity's parts, then annotations. */
function fields(): string[] {
  const known = [
    'kind',
    'apiVersion',
    'metadata.name',
    'metadata.namespace',
    'metadata.uid',
    'metadata.description',
    'metadata.labels',
    'metadata.annotations',
    'metadata.tags',
    'metadata.links',
    'spec',
    'relations',
  ];
  return Array.from({ length: caps.fields }, (_, i) =>
    i < known.length ? known[i] : `metadata.annotations.field-${i}`,
  );
}

function fullTextFields(): string[] {
  return [
    'metadata.name',
    'metadata.description',
    'metadata.title',
    'spec.type',
    'spec.owner',
    'spec.lifecycle',
    'spec.system',
    'kind',
    'metadata.namespace',
    'metadata.tags',
  ].slice(0, caps.fullTextFields);
}

function query(params: Array<[string, string]>): string {
  return new URLSearchParams(params).toString();
}
