import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import {
  claimDueEntities,
  releaseClaims,
  renewClaims,
} from './processingQueue';

const databases = TestDatabases.create();

const claim = (
  knex: Knex,
  options: { batchSize?: number; claimId?: string } = {},
) =>
  claimDueEntities(knex, {
    claimId: options.claimId ?? 'run-1',
    batchSize: options.batchSize ?? 10,
    leaseMs: 60_000,
  });

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

      const claimed = await claim(knex, { batchSize: 2 });

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

    it('claims entities never processed before those due for a rerun, however long the rerun is overdue', async () => {
      await insert(knex, 'rerun', -600);
      await knex('refresh_state')
        .where({ entity_id: 'id-rerun' })
        .update({ result_hash: 'processed-before' });
      await insert(knex, 'first', -1);
      await insert(knex, 'second', -1);

      const firstBatch = await claim(knex, { batchSize: 2, claimId: 'run-1' });
      const secondBatch = await claim(knex, { batchSize: 2, claimId: 'run-2' });

      expect(firstBatch.map(c => c.entityRef).sort()).toEqual([
        'component:default/first',
        'component:default/second',
      ]);
      expect(secondBatch.map(c => c.entityRef)).toEqual([
        'component:default/rerun',
      ]);
    });

    it('makes a claimed entity due again when its claim lapses, so a run that never writes holds it no longer than its lease', async () => {
      await insert(knex, 'a', -1);

      await claim(knex, { claimId: 'run-1' });

      const [row] = await knex('refresh_state').select<
        Array<{ seconds: number; at_lapse: boolean }>
      >(
        knex.raw(
          'EXTRACT(EPOCH FROM next_update_at - now())::float8 AS seconds',
        ),
        knex.raw('next_update_at = claim_expires_at AS at_lapse'),
      );
      expect(row.at_lapse).toBe(true);
      expect(row.seconds).toBeLessThanOrEqual(60);
      await expect(claim(knex, { claimId: 'run-2' })).resolves.toEqual([]);

      // As a lease later: the run's replica died, or its write failed.
      await knex('refresh_state').update({
        next_update_at: knex.raw("next_update_at - interval '61 seconds'"),
        claim_expires_at: knex.raw("claim_expires_at - interval '61 seconds'"),
      });
      const taken = await claim(knex, { claimId: 'run-2' });
      expect(taken.map(c => c.entityRef)).toEqual(['component:default/a']);
    });

    it('records the claim: its run, a lease, and no pending refresh', async () => {
      await insert(knex, 'a', -1);
      await knex('refresh_state').update({ refresh_requested: true });

      await claim(knex, { claimId: 'run-7' });

      const [row] = await knex('refresh_state').select<
        Array<{
          claim_id: string;
          lease_seconds: number;
          refresh_requested: boolean;
        }>
      >(
        'claim_id',
        'refresh_requested',
        knex.raw(
          'EXTRACT(EPOCH FROM claim_expires_at - now())::float8 AS lease_seconds',
        ),
      );
      expect(row).toEqual({
        claim_id: 'run-7',
        lease_seconds: expect.any(Number),
        refresh_requested: false,
      });
      expect(row.lease_seconds).toBeGreaterThan(59);
      expect(row.lease_seconds).toBeLessThanOrEqual(60);
    });

    it('leaves an entity a run holds, even once it is due, until the claim lapses', async () => {
      await insert(knex, 'a', -1);
      await claim(knex, { claimId: 'run-1' });
      await knex('refresh_state').update({ next_update_at: knex.fn.now() });

      await expect(claim(knex, { claimId: 'run-2' })).resolves.toEqual([]);

      await knex('refresh_state').update({
        claim_expires_at: knex.raw("now() - interval '1 second'"),
      });
      const taken = await claim(knex, { claimId: 'run-2' });
      expect(taken.map(c => c.entityRef)).toEqual(['component:default/a']);
      await expect(knex('refresh_state').pluck('claim_id')).resolves.toEqual([
        'run-2',
      ]);
    });

    it('releases the claims a run still holds, making them due now, and leaves the others', async () => {
      await insert(knex, 'mine', -2);
      await insert(knex, 'taken', -1);
      await claim(knex, { claimId: 'run-1' });
      await knex('refresh_state')
        .where('entity_id', 'id-taken')
        .update({ claim_id: 'run-2' });

      await releaseClaims(knex, {
        claimId: 'run-1',
        entityIds: ['id-mine', 'id-taken'],
      });

      const rows = await knex('refresh_state')
        .orderBy('entity_id')
        .select<
          Array<{ entity_id: string; claim_id: string | null; due: boolean }>
        >('entity_id', 'claim_id', knex.raw('next_update_at <= now() AS due'));
      expect(rows).toEqual([
        { entity_id: 'id-mine', claim_id: null, due: true },
        { entity_id: 'id-taken', claim_id: 'run-2', due: false },
      ]);
    });

    it('renews the lease only of the entities its run still holds', async () => {
      await insert(knex, 'mine', -2);
      await insert(knex, 'taken', -1);
      await claim(knex, { claimId: 'run-1' });
      await knex('refresh_state')
        .where('entity_id', 'id-taken')
        .update({ claim_id: 'run-2' });
      await knex('refresh_state').update({
        claim_expires_at: knex.raw("now() + interval '1 second'"),
      });

      await renewClaims(knex, {
        claimId: 'run-1',
        entityIds: ['id-mine', 'id-taken'],
        leaseMs: 120_000,
      });

      const rows = await knex('refresh_state')
        .orderBy('entity_id')
        .select<Array<{ entity_id: string; renewed: boolean }>>(
          'entity_id',
          knex.raw(
            "claim_expires_at > now() + interval '100 seconds' AS renewed",
          ),
        );
      expect(rows).toEqual([
        { entity_id: 'id-mine', renewed: true },
        { entity_id: 'id-taken', renewed: false },
      ]);
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
        claimed = (await claim(knex)).map(c => c.entityRef);
      });

      expect(claimed).toEqual(['component:default/free']);
    });
  });
});
