import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../applyDatabaseMigrations';
import { migration } from './20261207000014_stitchQueueFirstStitch';

const databases = TestDatabases.create();

describe('migration 20261207000014_stitchQueueFirstStitch', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      await migration.down!(knex);
    });

    it('marks the queued entities not served yet as first stitches', async () => {
      await knex('refresh_state').insert(
        ['served', 'new'].map(name => ({
          entity_id: `id-${name}`,
          entity_ref: `component:default/${name}`,
          unprocessed_entity: '{}',
          unprocessed_hash: 'h',
          processed_entity: '{}',
          next_update_at: knex.fn.now(),
        })),
      );
      await knex('final_entities').insert({
        entity_id: 'id-served',
        entity_ref: 'component:default/served',
        hash: 'h',
        final_entity: '{}',
        last_updated_at: knex.fn.now(),
      });
      await knex('stitch_queue').insert(
        ['served', 'new'].map(name => ({
          entity_id: `id-${name}`,
          next_stitch_at: knex.fn.now(),
          next_stitch_ticket: `t-${name}`,
        })),
      );

      await migration.up(knex);

      await expect(
        knex('stitch_queue')
          .orderBy('entity_id')
          .select('entity_id', 'first_stitch'),
      ).resolves.toEqual([
        { entity_id: 'id-new', first_stitch: true },
        { entity_id: 'id-served', first_stitch: false },
      ]);
    });
  });
});
