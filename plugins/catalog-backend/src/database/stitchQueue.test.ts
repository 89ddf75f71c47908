import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import {
  claimStitchTickets,
  markForStitching,
  releaseStitchClaims,
  settleStitchClaims,
} from './stitchQueue';

const databases = TestDatabases.create();
// No deferral: the entity never processed keeps a first run pending.
const claimOptions = { leaseMs: 60_000, maxDeferMs: 0 };

describe.each(databases.eachSupportedId())('the stitch queue on %s', id => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
  });

  beforeEach(() => insertEntities(knex));

  describe('markForStitching', () => {
    const rows = async () =>
      Object.fromEntries(
        (
          await knex('refresh_state AS r')
            .leftJoin('stitch_queue AS q', 'q.entity_id', 'r.entity_id')
            .select<
              Array<{
                entity_ref: string;
                due: boolean | null;
                ticket: string | null;
              }>
            >(
              'r.entity_ref',
              knex.raw('q.next_stitch_at <= now() AS due'),
              'q.next_stitch_ticket AS ticket',
            )
        ).map(row => [row.entity_ref, row]),
      );

    it('makes entities due for stitching by ref or by id', async () => {
      await markForStitching(knex, {
        entityRefs: ['component:default/a', 'component:default/unknown'],
        entityIds: ['id-b'],
      });

      await expect(rows()).resolves.toMatchObject({
        'component:default/a': { due: true, ticket: expect.any(String) },
        'component:default/b': { due: true, ticket: expect.any(String) },
      });
    });

    it('gives a claimed entity a new ticket and makes it due again', async () => {
      await markForStitching(knex, { entityIds: ['id-a'] });
      const claimed = (await rows())['component:default/a'].ticket;
      await knex('stitch_queue')
        .where({ entity_id: 'id-a' })
        .update({ next_stitch_at: knex.raw("now() + interval '1 minute'") });

      await markForStitching(knex, { entityIds: ['id-a'] });

      const after = (await rows())['component:default/a'];
      expect(after.due).toBe(true);
      expect(after.ticket).not.toBe(claimed);
    });

    it('leaves an entity that waits for stitching as it is', async () => {
      await knex('stitch_queue').insert({
        entity_id: 'id-a',
        next_stitch_at: knex.raw("now() - interval '1 hour'"),
        next_stitch_ticket: 'waiting',
      });
      const version = () =>
        knex('stitch_queue')
          .where({ entity_id: 'id-a' })
          .first<{ age: number; ticket: string }>(
            knex.raw(
              'EXTRACT(EPOCH FROM now() - next_stitch_at)::float8 AS age',
            ),
            'next_stitch_ticket AS ticket',
          );

      await markForStitching(knex, { entityIds: ['id-a'] });

      const after = await version();
      expect(after.ticket).toBe('waiting');
      expect(after.age).toBeGreaterThan(3500);
    });

    it('records whether each entity was served when it was marked', async () => {
      await knex('final_entities').insert({
        entity_id: 'id-a',
        entity_ref: 'component:default/a',
        hash: 'h',
        final_entity: '{}',
        last_updated_at: knex.fn.now(),
      });

      await markForStitching(knex, { entityIds: ['id-a', 'id-b'] });

      await expect(
        knex('stitch_queue')
          .orderBy('entity_id')
          .select('entity_id', 'first_stitch'),
      ).resolves.toEqual([
        { entity_id: 'id-a', first_stitch: false },
        { entity_id: 'id-b', first_stitch: true },
      ]);
    });

    it('leaves out entities never processed', async () => {
      await markForStitching(knex, {
        entityRefs: ['component:default/unprocessed'],
      });

      await expect(rows()).resolves.toMatchObject({
        'component:default/unprocessed': { due: null, ticket: null },
      });
    });
  });

  describe('claimStitchTickets', () => {
    it('claims the longest waiting entities with their tickets, and leases them', async () => {
      await knex('stitch_queue').insert([
        {
          entity_id: 'id-a',
          next_stitch_at: knex.raw("now() - interval '1 minute'"),
          next_stitch_ticket: 'ta',
        },
        {
          entity_id: 'id-b',
          next_stitch_at: knex.raw("now() - interval '2 minutes'"),
          next_stitch_ticket: 'tb',
        },
      ]);

      await expect(
        claimStitchTickets(knex, { ...claimOptions, batchSize: 1 }),
      ).resolves.toEqual([{ entityId: 'id-b', ticket: 'tb' }]);
      await expect(
        claimStitchTickets(knex, { ...claimOptions, batchSize: 10 }),
      ).resolves.toEqual([{ entityId: 'id-a', ticket: 'ta' }]);
      await expect(
        claimStitchTickets(knex, { ...claimOptions, batchSize: 10 }),
      ).resolves.toEqual([]);
    });

    it('claims entities not served when marked before served ones', async () => {
      await queueRows(knex, [
        { name: 'a', first: false, minutesAgo: 3 },
        { name: 'b', first: true, minutesAgo: 1 },
        { name: 'unprocessed', first: true, minutesAgo: 2 },
      ]);

      await expect(
        claimIds(knex, { ...claimOptions, batchSize: 2 }),
      ).resolves.toEqual(['id-b', 'id-unprocessed']);
      await expect(
        claimIds(knex, { ...claimOptions, batchSize: 2 }),
      ).resolves.toEqual(['id-a']);
    });

    it('defers served entities while an entity waits for its first processing, up to maxDeferMs', async () => {
      await queueRows(knex, [
        { name: 'a', first: false, minutesAgo: 1 },
        { name: 'b', first: false, minutesAgo: 3 },
      ]);
      const options = { ...claimOptions, batchSize: 10, maxDeferMs: 120_000 };

      // The entity never processed is due: only the mark older than the
      // limit is claimed.
      await expect(claimIds(knex, options)).resolves.toEqual(['id-b']);
      // A live claim on its first run defers as much as its being due.
      await knex('refresh_state')
        .where({ entity_id: 'id-unprocessed' })
        .update({
          next_update_at: knex.raw("now() + interval '1 minute'"),
          claim_id: 'run',
          claim_expires_at: knex.raw("now() + interval '1 minute'"),
        });
      await expect(claimIds(knex, options)).resolves.toEqual([]);
      // Once its claim lapsed and it is not due, nothing defers.
      await knex('refresh_state')
        .where({ entity_id: 'id-unprocessed' })
        .update({ claim_expires_at: knex.raw("now() - interval '1 second'") });
      await expect(claimIds(knex, options)).resolves.toEqual(['id-a']);
    });
  });

  describe('settleStitchClaims', () => {
    it('ends a claim whose ticket is unchanged and leaves due an entity marked since', async () => {
      await markForStitching(knex, { entityIds: ['id-a', 'id-b'] });
      const claims = await claimStitchTickets(knex, {
        ...claimOptions,
        batchSize: 10,
      });
      await markForStitching(knex, { entityIds: ['id-b'] });

      await expect(settleStitchClaims(knex, claims)).resolves.toEqual([]);

      await expect(queued(knex)).resolves.toEqual(['id-b']);
      await expect(
        claimStitchTickets(knex, { ...claimOptions, batchSize: 10 }),
      ).resolves.toEqual([{ entityId: 'id-b', ticket: expect.any(String) }]);
    });

    it('needs nothing for an entity deleted while claimed', async () => {
      await markForStitching(knex, { entityIds: ['id-a'] });
      const claims = await claimStitchTickets(knex, {
        ...claimOptions,
        batchSize: 10,
      });
      await knex('refresh_state').where({ entity_id: 'id-a' }).delete();

      await expect(settleStitchClaims(knex, claims)).resolves.toEqual([]);
      await expect(queued(knex)).resolves.toEqual([]);
    });
  });

  describe('releaseStitchClaims', () => {
    it('makes claimed entities due at once with their tickets', async () => {
      await markForStitching(knex, { entityIds: ['id-a'] });
      const claims = await claimStitchTickets(knex, {
        ...claimOptions,
        batchSize: 10,
      });

      await releaseStitchClaims(knex, ['id-a']);

      await expect(
        claimStitchTickets(knex, { ...claimOptions, batchSize: 10 }),
      ).resolves.toEqual(claims);
    });
  });
});

// PGlite has a single connection, so one transaction cannot hold a row
// while another marks or settles; this needs PostgreSQL. It runs when
// PLINTH_TEST_POSTGRES_URL is set.
const withPostgres = databases.eachSupportedId().includes('POSTGRES')
  ? describe
  : describe.skip;
withPostgres(
  'the stitch queue with concurrent transactions on POSTGRES',
  () => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init('POSTGRES');
      await applyDatabaseMigrations(knex);
    });

    it('marks an entity that a processing transaction holds without waiting for it', async () => {
      await insertEntities(knex);
      await knex.transaction(async processing => {
        // The lock a processing write takes on the rows it writes.
        await processing.raw(
          "SELECT entity_id FROM refresh_state WHERE entity_id = 'id-a' FOR NO KEY UPDATE",
        );
        await knex.transaction(tx =>
          markForStitching(tx, { entityIds: ['id-a'] }),
        );
      });

      await expect(queued(knex)).resolves.toEqual(['id-a']);
    });

    it('waits for a delete of the entity it marks and then leaves it out', async () => {
      await insertEntities(knex);
      let marking: Promise<void> = Promise.resolve();
      await knex.transaction(async deleting => {
        await deleting('refresh_state').where({ entity_id: 'id-a' }).delete();
        marking = knex.transaction(tx =>
          markForStitching(tx, { entityIds: ['id-a', 'id-b'] }),
        );
        await waitForLockWait(knex);
      });
      await marking;

      await expect(queued(knex)).resolves.toEqual(['id-b']);
    });

    it('settles around a queue row that a marking transaction holds, and returns its claim', async () => {
      await insertEntities(knex);
      await markForStitching(knex, { entityIds: ['id-a', 'id-b'] });
      const claims = await claimStitchTickets(knex, {
        ...claimOptions,
        batchSize: 10,
      });
      await knex('stitch_queue').update({ next_stitch_at: knex.fn.now() });

      const unsettled = await knex.transaction(async marking => {
        // A mark of a row already due only locks it.
        await markForStitching(marking, { entityIds: ['id-a'] });
        return knex.transaction(tx => settleStitchClaims(tx, claims));
      });

      expect(unsettled).toEqual(claims.filter(c => c.entityId === 'id-a'));
      await expect(queued(knex)).resolves.toEqual(['id-a']);
    });
  },
);

/** The processed entities a and b, and an entity never processed. */
async function insertEntities(knex: Knex): Promise<void> {
  await clearCatalogTables(knex);
  await knex('refresh_state').insert(
    ['a', 'b', 'unprocessed'].map(name => ({
      entity_id: `id-${name}`,
      entity_ref: `component:default/${name}`,
      unprocessed_entity: '{}',
      unprocessed_hash: 'h',
      processed_entity: name === 'unprocessed' ? null : '{}',
      result_hash: name === 'unprocessed' ? null : 'r',
      next_update_at: knex.fn.now(),
    })),
  );
}

/** Queue rows of the entities of {@link insertEntities}, ticket `t-<name>`. */
async function queueRows(
  knex: Knex,
  rows: Array<{ name: string; first: boolean; minutesAgo: number }>,
): Promise<void> {
  await knex('stitch_queue').insert(
    rows.map(({ name, first, minutesAgo }) => ({
      entity_id: `id-${name}`,
      next_stitch_at: knex.raw(`now() - interval '${minutesAgo} minutes'`),
      next_stitch_ticket: `t-${name}`,
      first_stitch: first,
    })),
  );
}

/** The ids of the entities a claim took, sorted. */
async function claimIds(
  knex: Knex,
  options: Parameters<typeof claimStitchTickets>[1],
): Promise<string[]> {
  const claims = await claimStitchTickets(knex, options);
  return claims.map(c => c.entityId).sort();
}

/** The ids in the stitch queue, due or claimed. */
function queued(knex: Knex): Promise<string[]> {
  return knex('stitch_queue').orderBy('entity_id').pluck('entity_id');
}

/** Resolves once another session of the database waits for a row lock. */
async function waitForLockWait(knex: Knex): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    const result = await knex.raw<{ rows: Array<{ waiting: string }> }>(
      `SELECT COUNT(*) AS waiting FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (Number(result.rows[0].waiting) > 0) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('No session waited for a lock');
}
