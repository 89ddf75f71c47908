import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import { claimDueEntities } from './claimDueEntities';

const databases = TestDatabases.create();

async function insert(knex: Knex, name: string, dueInSeconds: number) {
  await knex('refresh_state').insert({
    entity_id: `id-${name}`,
    entity_ref: `component:default/${name}`,
    unprocessed_entity: `{"n":"${name}"}`,
    unprocessed_hash: `h-${name}`,
    next_update_at: knex.raw(`now() + interval '1 second' * ?`, [dueInSeconds]),
  });
}

describe('claimDueEntities', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
    });

    it('claims due entities, most overdue first, up to the batch size', async () => {
      await insert(knex, 'later', 60);
      await insert(knex, 'old', -30);
      await insert(knex, 'older', -60);
      await insert(knex, 'new', -1);

      const claimed = await claimDueEntities(knex, {
        batchSize: 2,
        intervalMs: 1000,
      });

      expect(claimed.map(c => c.entityRef).sort()).toEqual([
        'component:default/old',
        'component:default/older',
      ]);
      expect(
        claimed.find(c => c.entityRef === 'component:default/old'),
      ).toEqual({
        entityId: 'id-old',
        entityRef: 'component:default/old',
        unprocessedEntity: '{"n":"old"}',
        unprocessedHash: 'h-old',
        resultHash: null,
        cache: null,
        locationKey: null,
      });
    });

    it('moves the next run of a claimed entity ahead by the interval plus up to half of it', async () => {
      await insert(knex, 'a', -1);

      await claimDueEntities(knex, { batchSize: 10, intervalMs: 100_000 });

      const [{ seconds }] = await knex('refresh_state').select<
        Array<{ seconds: number }>
      >(
        knex.raw(
          'EXTRACT(EPOCH FROM next_update_at - now())::float8 AS seconds',
        ),
      );
      expect(seconds).toBeGreaterThan(99);
      expect(seconds).toBeLessThanOrEqual(150);
      await expect(
        claimDueEntities(knex, { batchSize: 10, intervalMs: 1000 }),
      ).resolves.toEqual([]);
    });
  });

  // PGlite has a single connection, so no other transaction can hold rows
  // while claiming; this needs PostgreSQL. It runs when PLINTH_TEST_POSTGRES_URL is set.
  const withPostgres = databases.eachSupportedId().includes('POSTGRES')
    ? describe
    : describe.skip;
  withPostgres('with concurrent transactions on POSTGRES', () => {
    const id = 'POSTGRES';
    it('skips rows another transaction holds instead of waiting', async () => {
      const knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      await insert(knex, 'held', -10);
      await insert(knex, 'free', -5);

      let claimed: string[] = [];
      await knex.transaction(async tx => {
        await tx.raw(
          `SELECT 1 FROM refresh_state WHERE entity_id = 'id-held' FOR UPDATE`,
        );
        claimed = (
          await claimDueEntities(knex, { batchSize: 10, intervalMs: 1000 })
        ).map(c => c.entityRef);
      });

      expect(claimed).toEqual(['component:default/free']);
    });
  });
});
