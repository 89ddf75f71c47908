import fs from 'node:fs';
import path from 'node:path';
import { databaseServiceFactory } from '@plinth/backend-defaults/database';
import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { startTestBackend } from '@plinth/backend-test-utils';
import express from 'express';
import supertest from 'supertest';
import { repositoryRoot } from './workspacePackages';

jest.setTimeout(60_000);

interface Dashboard {
  templating: { list: Array<{ type: string; query?: unknown }> };
  panels: Array<{
    type: string;
    title: string;
    datasource?: { uid?: string };
    targets?: Array<{ expr: string; datasource?: { uid?: string } }>;
  }>;
}

const dashboard = JSON.parse(
  fs.readFileSync(
    path.join(repositoryRoot, 'deploy/grafana/plinth-dashboard.json'),
    'utf8',
  ),
) as Dashboard;

const queries = [
  ...dashboard.panels.flatMap(p => (p.targets ?? []).map(t => t.expr)),
  ...dashboard.templating.list.flatMap(v =>
    v.type === 'query' ? [(v.query as { query: string }).query] : [],
  ),
];

/** The series a PromQL query selects: `name{...}`, `label_values(name, ...)`. */
function seriesOf(query: string): string[] {
  return [
    ...query.matchAll(/([a-zA-Z_:][\w:]*)\s*\{/g),
    ...query.matchAll(/label_values\(\s*([a-zA-Z_:][\w:]*)/g),
  ].map(m => m[1]);
}

/**
 * Series that other packages serve on the same endpoint, as Prometheus
 * names them (the metrics contract of issue 15; each package's README
 * lists its own): they need their plugin's data to appear, so the test
 * backend below does not produce them.
 */
const seriesOfOtherPackages = [
  // @plinth/plugin-catalog-backend
  'catalog_processing_queue_depth',
  'catalog_processing_queue_oldest_due_age',
  'catalog_stitching_queue_depth',
  'catalog_stitching_queue_oldest_age',
  'catalog_processing_errors_total',
  'catalog_entities',
  // the scheduler of @plinth/backend-defaults
  'scheduler_task_runs_total',
  'scheduler_task_duration_bucket',
  'scheduler_task_duration_sum',
  'scheduler_task_duration_count',
  'scheduler_task_lease_takeovers_total',
  // the events service of @plinth/backend-defaults
  'events_delivery_lag_bucket',
  'events_delivery_oldest_pending_age',
];

/** The sample names a backend serves once it took a request and used a database. */
async function scrapeSampleNames(): Promise<Set<string>> {
  const plugin = createBackendPlugin({
    pluginId: 'notes',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          http: coreServices.httpRouter,
        },
        async init({ database, http }) {
          await database.getClient();
          http.use(express.Router().get('/ping', (_req, res) => res.end()));
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [plugin, databaseServiceFactory],
  });
  try {
    const request = supertest(backend.server);
    await request.get('/api/notes/ping').expect(200);
    const { text } = await request.get('/metrics').expect(200);
    return new Set(
      text
        .split('\n')
        .filter(line => line && !line.startsWith('#'))
        .map(line => /^[^{ ]+/.exec(line)![0]),
    );
  } finally {
    await backend.stop();
  }
}

describe('deploy/grafana/plinth-dashboard.json', () => {
  it('reads only series the backend serves or another package serves by contract', async () => {
    const served = await scrapeSampleNames();
    const unknown = queries
      .flatMap(seriesOf)
      .filter(
        name => !served.has(name) && !seriesOfOtherPackages.includes(name),
      );
    expect(unknown).toEqual([]);
  });

  it('reads every series of the metrics contract', () => {
    const read = new Set(queries.flatMap(seriesOf));
    const contract = [
      'http_server_request_duration_bucket',
      'http_server_request_duration_count',
      'backend_plugin_init_duration',
      'db_client_connections_usage',
      'db_client_connections_pending_requests',
      ...seriesOfOtherPackages,
    ];
    expect(contract.filter(name => !read.has(name))).toEqual([]);
  });

  it('asks the Prometheus data source the user picks in every query', () => {
    const fixed = dashboard.panels
      .filter(p => p.type !== 'row')
      .filter(
        p =>
          p.datasource?.uid !== '${datasource}' ||
          p.targets!.some(t => t.datasource?.uid !== '${datasource}'),
      )
      .map(p => p.title);
    expect(fixed).toEqual([]);
  });
});
