import { MockLoggerService, TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { markForStitching } from '../database/stitchQueue';
import * as stitchedEntitiesModule from '../database/stitchedEntities';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { DefaultStitcher } from './DefaultStitcher';

const databases = TestDatabases.create();

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service' },
  };
}

async function insertEntity(
  knex: Knex,
  name: string,
  processed: Entity | string | null = component(name),
): Promise<void> {
  await knex('refresh_state').insert({
    entity_id: `id-${name}`,
    entity_ref: `component:default/${name}`,
    unprocessed_entity: JSON.stringify(component(name)),
    unprocessed_hash: 'h',
    processed_entity:
      processed === null || typeof processed === 'string'
        ? processed
        : JSON.stringify(processed),
    next_update_at: knex.raw("now() + interval '1 hour'"),
  });
  await knex('refresh_state_references').insert({
    source_key: 'test',
    target_entity_ref: `component:default/${name}`,
  });
}

async function served(knex: Knex, name: string): Promise<Entity | undefined> {
  const [row] = await knex('final_entities')
    .where({ entity_ref: `component:default/${name}` })
    .pluck('final_entity');
  return row === undefined ? undefined : (JSON.parse(row) as Entity);
}

async function pending(knex: Knex): Promise<string[]> {
  return knex('refresh_state')
    .join('stitch_queue', 'stitch_queue.entity_id', 'refresh_state.entity_id')
    .orderBy('entity_ref')
    .pluck('entity_ref');
}

describe('DefaultStitcher', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let logger: MockLoggerService;
    let stitcher: DefaultStitcher;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      logger = MockLoggerService.create();
      stitcher = new DefaultStitcher({ knex, logger });
    });

    it('serves a processed entity with the relations whose source it is', async () => {
      await insertEntity(knex, 'a');
      await knex('relations').insert([
        {
          originating_entity_id: 'id-a',
          source_entity_ref: 'component:default/a',
          type: 'dependsOn',
          target_entity_ref: 'resource:default/db',
        },
        {
          originating_entity_id: 'id-a',
          source_entity_ref: 'resource:default/db',
          type: 'dependencyOf',
          target_entity_ref: 'component:default/a',
        },
      ]);
      await markForStitching(knex, { entityRefs: ['component:default/a'] });

      await expect(stitcher.stitchOnce()).resolves.toBe(1);

      const entity = await served(knex, 'a');
      expect(entity?.relations).toEqual([
        { type: 'dependsOn', targetRef: 'resource:default/db' },
      ]);
      await expect(
        knex('search')
          .where({ entity_id: 'id-a', key: 'relations.dependson' })
          .pluck('value'),
      ).resolves.toEqual(['resource:default/db']);
      await expect(pending(knex)).resolves.toEqual([]);
    });

    it('tells onStitched once a round has written, and not after a round that found nothing', async () => {
      let calls = 0;
      const notifying = new DefaultStitcher({
        knex,
        logger,
        onStitched: () => {
          calls += 1;
        },
      });
      await insertEntity(knex, 'a');
      await markForStitching(knex, { entityRefs: ['component:default/a'] });

      await notifying.stitchOnce();
      expect(calls).toBe(1);
      await expect(served(knex, 'a')).resolves.toBeDefined();
      await notifying.stitchOnce();
      expect(calls).toBe(1);
    });

    it('stitches an entity once however many times it was marked before', async () => {
      await insertEntity(knex, 'a');
      for (let i = 0; i < 5; i += 1) {
        await markForStitching(knex, { entityRefs: ['component:default/a'] });
      }

      await expect(stitcher.stitchOnce()).resolves.toBe(1);
      await expect(stitcher.stitchOnce()).resolves.toBe(0);
    });

    it('stitches once more an entity marked while it was being stitched, dropping the stale result', async () => {
      await insertEntity(knex, 'a');
      await markForStitching(knex, { entityRefs: ['component:default/a'] });
      const read = stitchedEntitiesModule.readStitchSources;
      const spy = jest
        .spyOn(stitchedEntitiesModule, 'readStitchSources')
        .mockImplementationOnce(async (k, ids) => {
          const sources = await read(k, ids);
          await markForStitching(knex, { entityRefs: ['component:default/a'] });
          return sources;
        });

      await expect(stitcher.stitchOnce()).resolves.toBe(1);
      await expect(served(knex, 'a')).resolves.toBeUndefined();
      await expect(pending(knex)).resolves.toEqual(['component:default/a']);
      await expect(stitcher.stitchOnce()).resolves.toBe(1);
      await expect(stitcher.stitchOnce()).resolves.toBe(0);

      await expect(served(knex, 'a')).resolves.toMatchObject({
        metadata: { name: 'a' },
      });
      expect(spy).toHaveBeenCalledTimes(2);
    });

    it('serves nothing for an entity never processed, and settles its claim', async () => {
      await insertEntity(knex, 'a', null);
      await knex('stitch_queue').insert({
        entity_id: knex('refresh_state').select('entity_id'),
        next_stitch_at: knex.fn.now(),
        next_stitch_ticket: 't',
      });

      await expect(stitcher.stitchOnce()).resolves.toBe(1);

      await expect(served(knex, 'a')).resolves.toBeUndefined();
      await expect(pending(knex)).resolves.toEqual([]);
    });

    it('writes nothing when the served form is unchanged', async () => {
      await insertEntity(knex, 'a');
      await markForStitching(knex, { entityRefs: ['component:default/a'] });
      await stitcher.stitchOnce();
      const version = () =>
        knex('final_entities').select(
          knex.raw('xmin::text AS xmin'),
          'last_updated_at',
        );
      const before = await version();

      await markForStitching(knex, { entityRefs: ['component:default/a'] });
      await expect(stitcher.stitchOnce()).resolves.toBe(1);

      await expect(version()).resolves.toEqual(before);
      await expect(pending(knex)).resolves.toEqual([]);
    });

    it('rewrites only the search rows that changed', async () => {
      await insertEntity(knex, 'a');
      await markForStitching(knex, { entityRefs: ['component:default/a'] });
      await stitcher.stitchOnce();
      const rows = async () =>
        Object.fromEntries(
          (
            await knex('search').select<Array<{ key: string; xmin: string }>>(
              'key',
              knex.raw('xmin::text AS xmin'),
            )
          ).map(row => [row.key, row.xmin]),
        );
      const before = await rows();

      await knex('relations').insert({
        originating_entity_id: 'id-a',
        source_entity_ref: 'component:default/a',
        type: 'ownedBy',
        target_entity_ref: 'group:default/team',
      });
      await markForStitching(knex, { entityRefs: ['component:default/a'] });
      await stitcher.stitchOnce();

      const after = await rows();
      expect(Object.keys(after).sort()).toEqual(
        [...Object.keys(before), 'relations.ownedby'].sort(),
      );
      expect(after.kind).toBe(before.kind);
      expect(after['spec.type']).toBe(before['spec.type']);
    });

    it('leaves an entity it cannot stitch claimed, and logs it', async () => {
      await insertEntity(knex, 'a', 'not json');
      await markForStitching(knex, { entityRefs: ['component:default/a'] });

      await expect(stitcher.stitchOnce()).resolves.toBe(1);

      expect(logger.messages('error')).toEqual([
        "Could not stitch entity 'component:default/a'; it is retried when its claim expires.",
      ]);
      await expect(pending(knex)).resolves.toEqual(['component:default/a']);
      await expect(stitcher.stitchOnce()).resolves.toBe(0);
    });

    it('stitches in its next round the entities of a round whose write failed, without waiting for the lease', async () => {
      await insertEntity(knex, 'a');
      await markForStitching(knex, { entityRefs: ['component:default/a'] });
      jest
        .spyOn(stitchedEntitiesModule, 'writeStitchedEntities')
        .mockRejectedValueOnce(new Error('connection terminated'));

      await expect(stitcher.stitchOnce()).rejects.toThrow(
        'connection terminated',
      );
      await expect(stitcher.stitchOnce()).resolves.toBe(1);

      await expect(served(knex, 'a')).resolves.toMatchObject({
        metadata: { name: 'a' },
      });
      await expect(pending(knex)).resolves.toEqual([]);
    });

    it('runs two rounds at once, each on its own entities', async () => {
      await insertEntity(knex, 'a');
      await insertEntity(knex, 'b');
      const read = stitchedEntitiesModule.readStitchSources;
      const reading: string[][] = [];
      let bothReading: () => void = () => {};
      const gate = new Promise<void>(resolve => (bothReading = resolve));
      // Each round waits here until the other one reads too: with one
      // round at a time, the first would wait out the timeout alone.
      jest
        .spyOn(stitchedEntitiesModule, 'readStitchSources')
        .mockImplementation(async (db, ids) => {
          reading.push([...ids]);
          if (reading.length === 2) {
            bothReading();
          }
          await Promise.race([
            gate,
            new Promise(resolve => setTimeout(resolve, 5_000)),
          ]);
          return read(db, ids);
        });
      const background = new DefaultStitcher({
        knex,
        logger,
        batchSize: 1,
        pollIntervalMs: 5,
      });
      await markForStitching(knex, {
        entityRefs: ['component:default/a', 'component:default/b'],
      });
      const started = Date.now();
      background.start();
      try {
        await gate;
        for (let i = 0; i < 200 && !(await served(knex, 'b')); i += 1) {
          await new Promise(resolve => setTimeout(resolve, 10));
        }
      } finally {
        await background.stop();
      }

      expect(Date.now() - started).toBeLessThan(5_000);
      expect(reading.slice(0, 2).flat()).toHaveLength(2);
      expect(new Set(reading.slice(0, 2).flat()).size).toBe(2);
      await expect(served(knex, 'a')).resolves.toBeTruthy();
      await expect(served(knex, 'b')).resolves.toBeTruthy();
    });

    it('stitches in the background until stopped', async () => {
      await insertEntity(knex, 'a');
      const background = new DefaultStitcher({
        knex,
        logger,
        pollIntervalMs: 5,
      });
      background.start();
      try {
        await markForStitching(knex, { entityRefs: ['component:default/a'] });
        for (let i = 0; i < 200 && !(await served(knex, 'a')); i += 1) {
          await new Promise(resolve => setTimeout(resolve, 10));
        }
      } finally {
        await background.stop();
      }

      await expect(served(knex, 'a')).resolves.toMatchObject({
        metadata: { name: 'a' },
      });
    });
  });

  // PGlite has a single connection, so one transaction cannot hold a row
  // while another stitches; this needs PostgreSQL. It runs when PLINTH_TEST_POSTGRES_URL is set.
  const withPostgres = databases.eachSupportedId().includes('POSTGRES')
    ? describe
    : describe.skip;
  withPostgres('with concurrent transactions on POSTGRES', () => {
    const id = 'POSTGRES';
    it('settles a claim whose row another transaction held, once that transaction ends', async () => {
      const knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      await insertEntity(knex, 'a');
      await markForStitching(knex, { entityRefs: ['component:default/a'] });
      const read = stitchedEntitiesModule.readStitchSources;
      let holder: Promise<void> = Promise.resolve();
      jest
        .spyOn(stitchedEntitiesModule, 'readStitchSources')
        .mockImplementationOnce(async (k, ids) => {
          let locked: () => void = () => {};
          const isLocked = new Promise<void>(resolve => (locked = resolve));
          // Holds the row until the stitcher's transaction has committed
          // its served entity: a stitcher waiting for the row would never
          // get there.
          holder = knex.transaction(async tx => {
            // The lock a transaction marking the entity takes on its row
            // of the queue.
            await tx.raw(
              'SELECT entity_id FROM stitch_queue FOR NO KEY UPDATE',
            );
            locked();
            for (let i = 0; !(await served(knex, 'a')); i += 1) {
              if (i > 200) {
                throw new Error('The stitcher waited for the locked row');
              }
              await new Promise(resolve => setTimeout(resolve, 10));
            }
          });
          await isLocked;
          return read(k, ids);
        });

      await new DefaultStitcher({
        knex,
        logger: MockLoggerService.create(),
      }).stitchOnce();
      await holder;

      await expect(served(knex, 'a')).resolves.toMatchObject({
        metadata: { name: 'a' },
      });
      await expect(pending(knex)).resolves.toEqual([]);
    });
  });
});
