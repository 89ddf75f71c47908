import { TestDatabases } from '@plinth/backend-test-utils';
import {
  processingResult,
  type CatalogProcessor,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import * as writeProcessingResultsModule from '../database/writeProcessingResults';
import {
  clearCatalogTables,
  createTestCatalog,
  groupEntity,
} from './createTestCatalog.fixture';
import { runWithConcurrency } from './DefaultCatalogProcessingEngine';

const databases = TestDatabases.create();

describe('DefaultCatalogProcessingEngine', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
    });

    it('never processes one entity on two engines at once', async () => {
      const calls = new Map<string, number>();
      const inFlight = new Set<string>();
      let overlaps = 0;
      const tracker: CatalogProcessor = {
        getProcessorName: () => 'Tracker',
        async preProcessEntity(entity) {
          const ref = entity.metadata.name;
          if (inFlight.has(ref)) {
            overlaps += 1;
          }
          inFlight.add(ref);
          calls.set(ref, (calls.get(ref) ?? 0) + 1);
          await new Promise(resolve => setTimeout(resolve, 1));
          inFlight.delete(ref);
          return entity;
        },
      };
      const first = createTestCatalog(knex, {
        extraProcessors: [tracker],
        batchSize: 20,
      });
      const second = createTestCatalog(knex, {
        extraProcessors: [tracker],
        batchSize: 20,
      });
      await first.connect('test').applyMutation({
        type: 'full',
        entities: Array.from({ length: 150 }, (_, i) => ({
          entity: groupEntity(`g${i}`),
        })),
      });

      const drain = async (catalog: typeof first) => {
        while ((await catalog.engine.processOnce()) > 0) {
          // keep claiming until nothing is due
        }
      };
      await Promise.all([
        drain(first),
        drain(second),
        drain(first),
        drain(second),
      ]);

      expect(overlaps).toBe(0);
      expect(calls.size).toBe(150);
      expect([...calls.values()].every(count => count === 1)).toBe(true);
    });

    it('releases the rest of a batch once its results emitted maxEmittedPerBatch entities, and processes them in later rounds', async () => {
      const emitter: CatalogProcessor = {
        getProcessorName: () => 'Emitter',
        async postProcessEntity(entity, location, emit) {
          if (entity.metadata.name.startsWith('parent')) {
            for (let i = 0; i < 3; i++) {
              emit(
                processingResult.entity(
                  location,
                  groupEntity(`${entity.metadata.name}-child-${i}`),
                ),
              );
            }
          }
          return entity;
        },
      };
      const catalog = createTestCatalog(knex, {
        extraProcessors: [emitter],
        concurrency: 1,
        maxEmittedPerBatch: 3,
      });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: ['parent-a', 'parent-b', 'parent-c'].map(name => ({
          entity: groupEntity(name),
        })),
      });

      const rounds: number[] = [];
      for (let round = 0; round < 3; round++) {
        rounds.push(await catalog.engine.processOnce());
      }
      const processed = await knex('refresh_state')
        .whereNotNull('processed_entity')
        .whereLike('entity_ref', 'group:default/parent-%')
        .count({ count: '*' });
      const children = await knex('refresh_state')
        .whereLike('entity_ref', '%-child-%')
        .count({ count: '*' });

      expect(rounds).toEqual([1, 1, 1]);
      expect(Number(processed[0].count)).toBe(3);
      expect(Number(children[0].count)).toBe(9);
    });

    it('waits for the batch in progress when stopped', async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>(resolve => (release = resolve));
      let started: () => void = () => {};
      const processing = new Promise<void>(resolve => (started = resolve));
      const catalog = createTestCatalog(knex, {
        extraProcessors: [
          {
            getProcessorName: () => 'Slow',
            async postProcessEntity(entity) {
              started();
              await gate;
              return entity;
            },
          },
        ],
      });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });

      catalog.engine.start();
      await processing;
      let stopped = false;
      const stopping = catalog.engine.stop().then(() => (stopped = true));
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      release();
      await stopping;

      const [row] = await knex('refresh_state').pluck('processed_entity');
      expect(JSON.parse(row)).toMatchObject({ metadata: { name: 'x' } });
    });

    it('reports a batch the background loop could not write, and goes on', async () => {
      const catalog = createTestCatalog(knex);
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });
      jest
        .spyOn(writeProcessingResultsModule, 'writeProcessingResults')
        .mockRejectedValueOnce(new Error('disk full'));

      catalog.engine.start();
      try {
        for (
          let i = 0;
          i < 200 && catalog.logger.messages('error').length === 0;
          i += 1
        ) {
          await new Promise(resolve => setTimeout(resolve, 10));
        }
      } finally {
        await catalog.engine.stop();
      }

      expect(catalog.logger.messages('error')).toEqual([
        'A round of catalog processing failed (1 in a row); retrying with a growing delay.',
      ]);
    });

    it('processes the entities of a batch whose write failed again in its next round, without waiting for the lease', async () => {
      const catalog = createTestCatalog(knex);
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });
      jest
        .spyOn(writeProcessingResultsModule, 'writeProcessingResults')
        .mockRejectedValueOnce(new Error('connection terminated'));

      await expect(catalog.engine.processOnce()).rejects.toThrow(
        'connection terminated',
      );
      await expect(catalog.engine.processOnce()).resolves.toBe(1);

      await expect(
        knex('refresh_state')
          .whereNotNull('processed_entity')
          .pluck('entity_ref'),
      ).resolves.toEqual(['group:default/x']);
    });

    it('leaves a batch the database rejected claimed until its lease lapses, rather than retrying it every round', async () => {
      const catalog = createTestCatalog(knex);
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });
      jest
        .spyOn(writeProcessingResultsModule, 'writeProcessingResults')
        .mockRejectedValueOnce(
          Object.assign(new Error('unsupported Unicode escape sequence'), {
            code: '22P05',
            severity: 'ERROR',
          }),
        );

      await expect(catalog.engine.processOnce()).rejects.toThrow(
        'unsupported Unicode escape sequence',
      );
      await expect(catalog.engine.processOnce()).resolves.toBe(0);
    });

    it('reports on stop a last batch that could not be written', async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>(resolve => (release = resolve));
      let started: () => void = () => {};
      const processing = new Promise<void>(resolve => (started = resolve));
      const catalog = createTestCatalog(knex, {
        extraProcessors: [
          {
            getProcessorName: () => 'Gate',
            async postProcessEntity(entity) {
              started();
              await gate;
              return entity;
            },
          },
        ],
      });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });
      jest
        .spyOn(writeProcessingResultsModule, 'writeProcessingResults')
        .mockRejectedValueOnce(new Error('disk full'));

      catalog.engine.start();
      await processing;
      const stopping = catalog.engine.stop();
      release();
      await stopping;

      expect(catalog.logger.messages('error')).toEqual([
        'The last batch of catalog processing could not be written; its entities are processed again once its claims lapse.',
      ]);
    });
  });
});

describe('runWithConcurrency', () => {
  it('starts no more calls once until() is true, and leaves their results undefined', async () => {
    let done = 0;
    const results = await runWithConcurrency(
      [1, 2, 3, 4],
      1,
      async n => {
        done += 1;
        return n * 10;
      },
      { until: () => done >= 2 },
    );

    expect(results).toEqual([10, 20, undefined, undefined]);
  });

  it('keeps the order of the results and never exceeds the limit', async () => {
    let running = 0;
    let peak = 0;
    const results = await runWithConcurrency(
      [30, 10, 20, 5, 15],
      2,
      async ms => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise(resolve => setTimeout(resolve, ms));
        running -= 1;
        return ms * 2;
      },
    );

    expect(results).toEqual([60, 20, 40, 10, 30]);
    expect(peak).toBe(2);
  });

  it('rejects with the first failure', async () => {
    await expect(
      runWithConcurrency([1, 2], 2, async n => {
        if (n === 2) {
          throw new Error('two');
        }
        return n;
      }),
    ).rejects.toThrow('two');
  });
});
