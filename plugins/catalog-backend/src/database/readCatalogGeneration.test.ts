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
  });
});
