import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { catalogPlugin } from './plugin';

/** A reader that collects only when the test asks, as a scrape does. */
class ScrapeReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

const reader = new ScrapeReader();
const provider = new MeterProvider({ readers: [reader] });
let dir: string;
let backend: Awaited<ReturnType<typeof startTestBackend>>;

/** The points of the catalog's metrics, by name then attributes as JSON. */
async function scrape(): Promise<Record<string, Record<string, unknown>>> {
  const { resourceMetrics } = await reader.collect();
  const scope = resourceMetrics.scopeMetrics.find(
    s => s.scope.name === 'backstage-plugin-catalog',
  );
  return Object.fromEntries(
    (scope?.metrics ?? []).map(m => [
      m.descriptor.name,
      Object.fromEntries(
        m.dataPoints.map(p => [JSON.stringify(p.attributes), p.value]),
      ),
    ]),
  );
}

beforeAll(async () => {
  // As an app registers its SDK before it creates the backend.
  metrics.setGlobalMeterProvider(provider);
  dir = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-metrics-')),
  );
  fs.writeFileSync(
    path.join(dir, 'team.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: team-a }\nspec: { type: team, children: [] }\n',
  );
  backend = await startTestBackend({
    features: [
      catalogPlugin,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Group', 'Location'] }],
            locations: [
              { type: 'file', target: path.join(dir, 'team.yaml') },
              { type: 'file', target: path.join(dir, 'missing.yaml') },
            ],
          },
        },
      }),
    ],
  });
}, 90_000);

afterAll(async () => {
  await backend?.stop();
  await provider.shutdown();
  metrics.disable();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('catalogPlugin', () => {
  it("records its metrics on the plugin's metrics service", async () => {
    const deadline = Date.now() + 60_000;
    let scraped = await scrape();
    while (
      scraped['catalog.entities']?.['{"kind":"group"}'] !== 1 ||
      !scraped['catalog.processing.errors']
    ) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out: ${JSON.stringify(scraped)}`);
      }
      await new Promise(done => setTimeout(done, 50));
      scraped = await scrape();
    }

    expect(scraped['catalog.processing.errors']).toEqual({
      '{"kind":"NotFoundError","entity_kind":"location"}': expect.any(Number),
    });
    expect(Object.keys(scraped).sort()).toEqual([
      'catalog.entities',
      'catalog.processing.errors',
      'catalog.processing.queue.depth',
      'catalog.processing.queue.oldest_due_age',
      'catalog.stitching.queue.depth',
      'catalog.stitching.queue.oldest_age',
    ]);
  }, 90_000);
});
