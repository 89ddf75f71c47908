import { TestDatabases } from '@plinth/backend-test-utils';
import type { CatalogProcessor } from '@plinth/plugin-catalog-node';
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
