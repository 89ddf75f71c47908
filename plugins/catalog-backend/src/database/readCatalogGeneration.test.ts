import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import { readCatalogGeneration } from './readCatalogGeneration';

const databases = TestDatabases.create();

async function insertEntity(knex: Knex | Knex.Transaction, id: string) {
  const now = knex.fn.now();
  await knex('refresh_state').insert({
    entity_id: id,
    entity_ref: `component:default/${id}`,
    unprocessed_entity: '{}',
    unprocessed_hash: 'h',
    next_update_at: now,
    last_discovery_at: now,
  });
  await knex('final_entities').insert({
    entity_id: id,
    entity_ref: `component:default/${id}`,
    hash: 'h',
    final_entity: '{}',
    last_updated_at: now,
  });
}

describe('readCatalogGeneration', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    it('moves with every committed change to the served entities, cascades included', async () => {
      const start = Number(await readCatalogGeneration(knex));
      await insertEntity(knex, 'a');
      const afterInsert = Number(await readCatalogGeneration(knex));
      expect(afterInsert).toBeGreaterThan(start);

      await knex('final_entities')
        .where('entity_id', 'a')
        .update({ final_entity: '{"x":1}' });
      const afterUpdate = Number(await readCatalogGeneration(knex));
      expect(afterUpdate).toBeGreaterThan(afterInsert);

      await knex('refresh_state').where('entity_id', 'a').delete();
      expect(await knex('final_entities').where('entity_id', 'a')).toEqual([]);
      expect(Number(await readCatalogGeneration(knex))).toBeGreaterThan(
        afterUpdate,
      );
    });

    it('stays put when the change is rolled back', async () => {
      const before = await readCatalogGeneration(knex);
      await expect(
        knex.transaction(async trx => {
          await insertEntity(trx, 'b');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await readCatalogGeneration(knex)).toBe(before);
    });

    it('folds the counters of other backends into the base row once they pile up, and keeps the generation', async () => {
      await knex('catalog_generation').insert(
        Array.from({ length: 70 }, (_, i) => ({
          id: 100_000 + i,
          generation: 1,
        })),
      );
      const before = await readCatalogGeneration(knex);

      const after = await readCatalogGeneration(knex);

      expect(after).toBe(before);
      await expect(knex('catalog_generation').pluck('id')).resolves.toEqual([
        1,
      ]);
      await insertEntity(knex, 'c');
      expect(Number(await readCatalogGeneration(knex))).toBe(
        Number(before) + 1,
      );
    });
  });

  // PGlite has a single connection, so no two transactions are ever open
  // at once; these need PostgreSQL. They run when PLINTH_TEST_POSTGRES_URL is set.
  const withPostgres = databases.eachSupportedId().includes('POSTGRES')
    ? describe
    : describe.skip;
  withPostgres('with concurrent transactions on POSTGRES', () => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init('POSTGRES');
      await applyDatabaseMigrations(knex);
    });

    it('lets two transactions change served entities at once without waiting for each other', async () => {
      const before = Number(await readCatalogGeneration(knex));

      await knex.transaction(async first => {
        await insertEntity(first, 'w1');
        await knex.transaction(async second => {
          // A wait for the first transaction's locks fails here at once.
          await second.raw("SET LOCAL lock_timeout = '1s'");
          await insertEntity(second, 'w2');
        });
      });

      expect(Number(await readCatalogGeneration(knex))).toBe(before + 2);
    });

    it('moves at each of two interleaved commits', async () => {
      const before = Number(await readCatalogGeneration(knex));
      let afterInner = 0;

      await knex.transaction(async outer => {
        await insertEntity(outer, 'i1');
        await knex.transaction(async inner => {
          await inner.raw("SET LOCAL lock_timeout = '1s'");
          await insertEntity(inner, 'i2');
        });
        afterInner = Number(await readCatalogGeneration(knex));
      });
      const afterOuter = Number(await readCatalogGeneration(knex));

      expect(afterInner).toBeGreaterThan(before);
      expect(afterOuter).toBeGreaterThan(afterInner);
    });

    it('folds around the counter of a transaction in progress without waiting for it, and keeps its amount', async () => {
      const before = Number(await readCatalogGeneration(knex));
      await knex('catalog_generation').insert(
        Array.from({ length: 70 }, (_, i) => ({
          id: 200_000 + i,
          generation: 1,
        })),
      );
      let duringFold = 0;

      await knex.transaction(async writer => {
        // As a writer holds its own counter from its first change to its commit.
        await writer.raw(
          'SELECT id FROM catalog_generation WHERE id = 200000 FOR UPDATE',
        );
        await insertEntity(writer, 'f1');
        duringFold = Number(await readCatalogGeneration(knex));
      });

      expect(duringFold).toBe(before + 70);
      await expect(
        knex('catalog_generation').where('id', '>=', 200_000).pluck('id'),
      ).resolves.toEqual([200_000]);
      expect(Number(await readCatalogGeneration(knex))).toBe(before + 71);
    });
  });
});
