import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../applyDatabaseMigrations';
import { claimStitchTickets } from '../stitchQueue';
import { migration } from './20261207000012_stitchQueueTable';
import { migration as firstStitch } from './20261207000014_stitchQueueFirstStitch';

const databases = TestDatabases.create();

describe('migration 20261207000012_stitchQueueTable', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      // Back to the schema before it, with the queue in refresh_state.
      await migration.down!(knex);
    });

    it('carries pending stitches and claims over into the stitch queue', async () => {
      await knex('refresh_state').insert(
        [
          ['due', "now() - interval '1 minute'", 'ticket-due'],
          ['claimed', "now() + interval '1 hour'", 'ticket-claimed'],
          ['untracked', 'now()', null],
          ['stitched', null, null],
        ].map(([name, at, ticket]) => ({
          entity_id: `id-${name}`,
          entity_ref: `component:default/${name}`,
          unprocessed_entity: '{}',
          unprocessed_hash: 'h',
          processed_entity: '{}',
          next_update_at: knex.fn.now(),
          next_stitch_at: at === null ? null : knex.raw(at),
          next_stitch_ticket: ticket,
        })),
      );

      await migration.up(knex);
      // The queue as the migrations after this one leave it.
      await firstStitch.up(knex);

      await expect(
        knex('stitch_queue')
          .orderBy('entity_id')
          .select(
            'entity_id',
            'next_stitch_ticket',
            knex.raw('next_stitch_at <= now() AS due'),
          ),
      ).resolves.toEqual([
        {
          entity_id: 'id-claimed',
          next_stitch_ticket: 'ticket-claimed',
          due: false,
        },
        { entity_id: 'id-due', next_stitch_ticket: 'ticket-due', due: true },
        {
          entity_id: 'id-untracked',
          next_stitch_ticket: 'migrated',
          due: true,
        },
      ]);
      await expect(
        claimStitchTickets(knex, {
          batchSize: 10,
          leaseMs: 60_000,
          maxDeferMs: 120_000,
        }),
      ).resolves.toEqual([
        { entityId: 'id-due', ticket: 'ticket-due' },
        { entityId: 'id-untracked', ticket: 'migrated' },
      ]);
      await expect(
        knex.schema.hasColumn('refresh_state', 'next_stitch_at'),
      ).resolves.toBe(false);
    });
  });
});
