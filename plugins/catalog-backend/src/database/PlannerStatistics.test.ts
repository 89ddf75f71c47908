import { MockLoggerService, TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { DefaultStitcher } from '../stitching/DefaultStitcher';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import { markForStitching } from './stitchQueue';

const databases = TestDatabases.create();

/** Processed, referenced entities, marked for stitching. */
async function ingest(knex: Knex, prefix: string, count: number) {
  const refs: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `${prefix}-${i}`;
    const entity = JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'service', owner: `team-${i % 5}` },
    });
    refs.push(`component:default/${name}`);
    await knex('refresh_state').insert({
      entity_id: `id-${name}`,
      entity_ref: `component:default/${name}`,
      unprocessed_entity: entity,
      unprocessed_hash: 'h',
      processed_entity: entity,
      next_update_at: knex.raw("now() + interval '1 hour'"),
    });
  }
  await markForStitching(knex, { entityRefs: refs });
}

async function stitchAll(stitcher: DefaultStitcher): Promise<void> {
  while ((await stitcher.stitchOnce()) > 0) {
    // Until the backlog is drained; the idle round refreshes statistics.
  }
}

/** The columns of the search table the planner has statistics for. */
async function searchColumnsWithStatistics(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: { count: string }[] }>(
    `SELECT count(*) AS count FROM pg_stats
      WHERE schemaname = current_schema() AND tablename = 'search'`,
  );
  return Number(rows[0].count);
}

describe('PlannerStatistics', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let logger: MockLoggerService;

    beforeEach(async () => {
      // A fresh database each time: statistics outlive deleted rows.
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      logger = MockLoggerService.create();
    });

    it('analyzes the catalog tables once enough entities were stitched', async () => {
      const stitcher = new DefaultStitcher({
        knex,
        logger,
        analyzeAfterRows: 30,
      });
      await ingest(knex, 'a', 40);
      await stitchAll(stitcher);

      expect(await searchColumnsWithStatistics(knex)).toBeGreaterThan(0);
      const [finalEntities] = await knex('pg_class')
        .where('oid', knex.raw("to_regclass('final_entities')"))
        .pluck('reltuples');
      expect(Number(finalEntities)).toBe(40);
      expect(logger.messages('warn')).toEqual([]);
    });

    it('vacuums the catalog tables too, so the search index answers without reading the table', async () => {
      const stitcher = new DefaultStitcher({
        knex,
        logger,
        analyzeAfterRows: 30,
      });
      await ingest(knex, 'a', 40);
      await stitchAll(stitcher);

      const [allVisiblePages] = await knex('pg_class')
        .where('oid', knex.raw("to_regclass('search')"))
        .pluck('relallvisible');
      expect(Number(allVisiblePages)).toBeGreaterThan(0);
      expect(logger.messages('warn')).toEqual([]);
    });

    it('analyzes nothing while fewer entities than the threshold were stitched', async () => {
      const stitcher = new DefaultStitcher({
        knex,
        logger,
        analyzeAfterRows: 30,
      });
      await ingest(knex, 'a', 29);
      await stitchAll(stitcher);

      expect(await knex('final_entities').pluck('entity_ref')).toHaveLength(29);
      expect(await searchColumnsWithStatistics(knex)).toBe(0);
    });

    it('analyzes only once the stitches deferred behind first runs are done', async () => {
      const stitcher = new DefaultStitcher({
        knex,
        logger,
        analyzeAfterRows: 30,
      });
      await ingest(knex, 'a', 40);
      await expect(stitcher.stitchOnce()).resolves.toBe(40);
      // The served entities marked again wait for an entity due for its
      // first processing.
      await knex('refresh_state').insert({
        entity_id: 'id-new',
        entity_ref: 'component:default/new',
        unprocessed_entity: '{}',
        unprocessed_hash: 'h',
        next_update_at: knex.fn.now(),
      });
      await markForStitching(knex, {
        entityIds: Array.from({ length: 40 }, (_, i) => `id-a-${i}`),
      });

      await expect(stitcher.stitchOnce()).resolves.toBe(0);
      expect(await searchColumnsWithStatistics(knex)).toBe(0);

      await knex('refresh_state')
        .where({ entity_id: 'id-new' })
        .update({ result_hash: 'r' });
      await stitchAll(stitcher);
      expect(await searchColumnsWithStatistics(knex)).toBeGreaterThan(0);
    });

    it('logs a failed refresh at warn and goes on stitching', async () => {
      const stitcher = new DefaultStitcher({
        knex,
        logger,
        analyzeAfterRows: 30,
        analyzeIntervalMs: 0,
      });
      await ingest(knex, 'a', 40);
      await stitchAll(stitcher);
      await ingest(knex, 'b', 40);
      await expect(stitcher.stitchOnce()).resolves.toBe(40);
      // Stitching reads the relations table too: it goes only for the
      // refresh of the idle round that follows.
      await knex.schema.renameTable('relations', 'relations_away');
      await expect(stitcher.stitchOnce()).resolves.toBe(0);
      await knex.schema.renameTable('relations_away', 'relations');

      expect(logger.messages('warn')).toEqual([
        "Could not refresh the planner statistics of the catalog tables 'final_entities', 'search', 'relations', 'refresh_state', 'stitch_queue' after 40 stitched entities; queries may be planned on stale row counts until the next try in 0 ms or until autovacuum runs. Processing goes on.",
      ]);
      await ingest(knex, 'c', 1);
      await stitchAll(stitcher);
      expect(await knex('final_entities').pluck('entity_ref')).toHaveLength(81);
      const [finalEntities] = await knex('pg_class')
        .where('oid', knex.raw("to_regclass('final_entities')"))
        .pluck('reltuples');
      expect(Number(finalEntities)).toBe(81);
    });
  });

  // PGlite has a single connection: no other replica can hold the lock.
  const withPostgres = databases.eachSupportedId().includes('POSTGRES')
    ? describe
    : describe.skip;
  withPostgres('with another replica on POSTGRES', () => {
    it('leaves the analysis to the replica that is analyzing already', async () => {
      const knex = await databases.init('POSTGRES');
      await applyDatabaseMigrations(knex);
      const logger = MockLoggerService.create();
      const stitcher = new DefaultStitcher({
        knex,
        logger,
        analyzeAfterRows: 30,
      });
      await ingest(knex, 'a', 40);

      await knex.transaction(async other => {
        await other.raw(
          `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.catalog-planner-statistics'))`,
        );
        await stitchAll(stitcher);
      });

      expect(await knex('final_entities').pluck('entity_ref')).toHaveLength(40);
      expect(await searchColumnsWithStatistics(knex)).toBe(0);
      expect(logger.messages('warn')).toEqual([]);
    });
  });
});
