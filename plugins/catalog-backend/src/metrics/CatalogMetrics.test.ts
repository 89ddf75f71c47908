import {
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import type { Entity } from '@plinth/catalog-model';
import type { CatalogProcessor } from '@plinth/plugin-catalog-node';
import { MockLoggerService, TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import {
  clearCatalogTables,
  componentYaml,
  createTestCatalog,
  groupEntity,
  locationEntity,
} from '../processing/createTestCatalog.fixture';
import { CatalogMetrics } from './CatalogMetrics';

/** A reader that collects only when the test asks, as a scrape does. */
class ScrapeReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

/** An SDK meter provider, and the values of its metrics at each scrape. */
function createMeter() {
  const reader = new ScrapeReader();
  const provider = new MeterProvider({ readers: [reader] });
  return {
    meter: provider.getMeter('backstage-plugin-catalog'),
    /** The points of each metric, keyed by name then by attributes as JSON. */
    async scrape(): Promise<Record<string, Record<string, unknown>>> {
      const { resourceMetrics } = await reader.collect();
      const metrics: MetricData[] = resourceMetrics.scopeMetrics.flatMap(
        s => s.metrics,
      );
      return Object.fromEntries(
        metrics.map(m => [
          m.descriptor.name,
          Object.fromEntries(
            m.dataPoints.map(p => [JSON.stringify(p.attributes), p.value]),
          ),
        ]),
      );
    },
    shutdown: () => provider.shutdown(),
  };
}

/** A processor that fails every Component with an error of the given name. */
function failingComponents(name: string): CatalogProcessor {
  return {
    getProcessorName: () => 'FailingComponents',
    async preProcessEntity(entity) {
      if (entity.kind === 'Component') {
        const error = new Error(`Component '${entity.metadata.name}' is bad`);
        error.name = name;
        throw error;
      }
      return entity;
    },
  };
}

/**
 * Registers a location whose file holds `documents`, beside `entities`,
 * through the provider's full mutation, as config locations arrive.
 */
async function registerCatalogFile(
  catalog: ReturnType<typeof createTestCatalog>,
  documents: string[],
  entities: Entity[] = [],
): Promise<void> {
  catalog.files.set('/catalog.yaml', documents.join('---\n'));
  await catalog.connect('test').applyMutation({
    type: 'full',
    entities: [
      {
        entity: locationEntity('root', '/catalog.yaml'),
        locationKey: 'mem:/config',
      },
      ...entities.map(entity => ({ entity })),
    ],
  });
}

const databases = TestDatabases.create();

describe('CatalogMetrics', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let sdk: ReturnType<typeof createMeter>;
    let metrics: CatalogMetrics;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      sdk = createMeter();
      metrics = CatalogMetrics.create({
        knex,
        metrics: sdk.meter,
        logger: MockLoggerService.create(),
        maxAgeMs: 0,
      });
    });

    afterEach(async () => {
      metrics.stop();
      await sdk.shutdown();
    });

    it('reports the entities due for processing until they are processed', async () => {
      const catalog = createTestCatalog(knex, { metrics });
      await registerCatalogFile(catalog, [
        componentYaml('a'),
        componentYaml('b'),
      ]);
      await knex('refresh_state').update({
        next_update_at: knex.raw("now() - interval '90 seconds'"),
      });

      const due = await sdk.scrape();
      expect(due['catalog.processing.queue.depth']).toEqual({ '{}': 1 });
      expect(
        due['catalog.processing.queue.oldest_due_age']['{}'],
      ).toBeGreaterThanOrEqual(90);

      // The location's run emits its two components, due at once.
      await catalog.engine.processOnce();
      const children = await sdk.scrape();
      expect(children['catalog.processing.queue.depth']).toEqual({ '{}': 2 });

      await catalog.runUntilIdle();
      const drained = await sdk.scrape();
      expect(drained['catalog.processing.queue.depth']).toEqual({ '{}': 0 });
      expect(drained['catalog.processing.queue.oldest_due_age']).toEqual({
        '{}': 0,
      });
    });

    it('leaves out entities a live claim holds past their next run', async () => {
      const catalog = createTestCatalog(knex, { metrics });
      await registerCatalogFile(catalog, [componentYaml('a')]);
      // A run that renewed its lease keeps the entity after the time its
      // claim set for the next run has passed.
      await knex('refresh_state').update({
        next_update_at: knex.raw("now() - interval '5 seconds'"),
        claim_id: 'long-run',
        claim_expires_at: knex.raw("now() + interval '60 seconds'"),
      });
      const held = await sdk.scrape();
      expect(held['catalog.processing.queue.depth']).toEqual({ '{}': 0 });

      await knex('refresh_state').update({
        claim_expires_at: knex.raw("now() - interval '1 second'"),
      });
      const lapsed = await sdk.scrape();
      expect(lapsed['catalog.processing.queue.depth']).toEqual({ '{}': 1 });
    });

    it('reports the stitch backlog until the stitcher runs', async () => {
      const catalog = createTestCatalog(knex, { metrics });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: ['x', 'y', 'z'].map(name => ({ entity: groupEntity(name) })),
      });
      while ((await catalog.engine.processOnce()) > 0) {
        // processed, not stitched
      }
      await knex('stitch_queue').update({
        next_stitch_at: knex.raw("now() - interval '30 seconds'"),
      });

      const waiting = await sdk.scrape();
      expect(waiting['catalog.stitching.queue.depth']).toEqual({ '{}': 3 });
      expect(
        waiting['catalog.stitching.queue.oldest_age']['{}'],
      ).toBeGreaterThanOrEqual(30);
      expect(waiting['catalog.entities'] ?? {}).toEqual({});

      await catalog.stitcher.stitchOnce();
      const stitched = await sdk.scrape();
      expect(stitched['catalog.stitching.queue.depth']).toEqual({ '{}': 0 });
      expect(stitched['catalog.stitching.queue.oldest_age']).toEqual({
        '{}': 0,
      });
    });

    it('counts the served entities by kind, down to 0 when a kind is gone', async () => {
      const catalog = createTestCatalog(knex, { metrics });
      await registerCatalogFile(
        catalog,
        [componentYaml('a'), componentYaml('b')],
        [groupEntity('team-a')],
      );
      await catalog.runUntilIdle();

      const scraped = await sdk.scrape();
      expect(scraped['catalog.entities']).toEqual({
        '{"kind":"component"}': 2,
        '{"kind":"group"}': 1,
        '{"kind":"location"}': 1,
      });

      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('team-a') }],
      });
      await catalog.runUntilIdle();
      const removed = await sdk.scrape();
      expect(removed['catalog.entities']).toEqual({
        '{"kind":"component"}': 0,
        '{"kind":"group"}': 1,
        '{"kind":"location"}': 0,
      });
    });

    it('counts the errors of processing runs by error name and entity kind', async () => {
      const catalog = createTestCatalog(knex, {
        metrics,
        extraProcessors: [failingComponents('InputError')],
      });
      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a'), componentYaml('b')].join('---\n'),
      );
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [
          {
            entity: locationEntity('root', '/catalog.yaml'),
            locationKey: 'mem:/config',
          },
          {
            entity: locationEntity('gone', '/missing.yaml'),
            locationKey: 'mem:/config',
          },
        ],
      });
      await catalog.runUntilIdle();

      const scraped = await sdk.scrape();
      expect(scraped['catalog.processing.errors']).toEqual({
        '{"kind":"NotFoundError","entity_kind":"location"}': 1,
        '{"kind":"InputError","entity_kind":"component"}': 2,
      });
    });

    it('counts error names that are not identifiers, and names past the first 50, as Error', async () => {
      for (let i = 0; i < 51; i += 1) {
        const error = new Error('bad');
        error.name = `Custom${i}Error`;
        metrics.countProcessingErrors('component:default/a', [error]);
      }
      const odd = new Error('bad');
      odd.name = 'Error: <script>';
      metrics.countProcessingErrors('component:default/a', [odd]);

      const counts = (await sdk.scrape())['catalog.processing.errors'];
      expect(Object.keys(counts)).toHaveLength(51);
      expect(counts['{"kind":"Custom49Error","entity_kind":"component"}']).toBe(
        1,
      );
      expect(counts['{"kind":"Error","entity_kind":"component"}']).toBe(2);
    });

    it('counts entity kinds past the first 50 as other', async () => {
      const error = new Error('bad');
      error.name = 'InputError';
      for (let i = 0; i < 52; i += 1) {
        metrics.countProcessingErrors(`kind${i}:default/a`, [error]);
      }

      const counts = (await sdk.scrape())['catalog.processing.errors'];
      expect(Object.keys(counts)).toHaveLength(51);
      expect(counts['{"kind":"InputError","entity_kind":"kind49"}']).toBe(1);
      expect(counts['{"kind":"InputError","entity_kind":"other"}']).toBe(2);
    });

    it('reads the database once for scrapes that overlap, and counts kinds again only when the catalog changed', async () => {
      const statements: string[] = [];
      const onQuery = (query: { sql: string }) => statements.push(query.sql);
      knex.on('query', onQuery);
      try {
        await Promise.all([sdk.scrape(), sdk.scrape(), sdk.scrape()]);
        // One statement per queue, and the generation and kinds.
        expect(statements).toHaveLength(4);
        await sdk.scrape();
        // The generation did not move: the kinds are not counted again.
        expect(statements).toHaveLength(7);
      } finally {
        knex.off('query', onQuery);
      }
    });

    it('reuses a reading for maxAgeMs', async () => {
      const cached = CatalogMetrics.create({
        knex,
        metrics: sdk.meter,
        logger: MockLoggerService.create(),
        maxAgeMs: 60_000,
      });
      metrics.stop();
      const statements: string[] = [];
      const onQuery = (query: { sql: string }) => statements.push(query.sql);
      knex.on('query', onQuery);
      try {
        await sdk.scrape();
        await sdk.scrape();
        expect(statements).toHaveLength(4);
      } finally {
        knex.off('query', onQuery);
        cached.stop();
      }
    });

    it('stops reading the database once stopped', async () => {
      metrics.stop();
      const statements: string[] = [];
      const onQuery = (query: { sql: string }) => statements.push(query.sql);
      knex.on('query', onQuery);
      try {
        const scraped = await sdk.scrape();
        expect(scraped['catalog.processing.queue.depth'] ?? {}).toEqual({});
        expect(statements).toEqual([]);
      } finally {
        knex.off('query', onQuery);
      }
    });
  });
});
