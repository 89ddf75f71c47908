import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import { markForStitching } from './stitchQueue';

const databases = TestDatabases.create();

describe('markForStitching', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      await knex('refresh_state').insert(
        ['a', 'b', 'unprocessed'].map(name => ({
          entity_id: `id-${name}`,
          entity_ref: `component:default/${name}`,
          unprocessed_entity: '{}',
          unprocessed_hash: 'h',
          processed_entity: name === 'unprocessed' ? null : '{}',
          next_update_at: knex.fn.now(),
        })),
      );
    });

    const rows = async () =>
      Object.fromEntries(
        (
          await knex('refresh_state').select<
            Array<{
              entity_ref: string;
              due: boolean | null;
              ticket: string | null;
            }>
          >(
            'entity_ref',
            knex.raw('next_stitch_at <= now() AS due'),
            'next_stitch_ticket AS ticket',
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
      await knex('refresh_state')
        .where({ entity_id: 'id-a' })
        .update({ next_stitch_at: knex.raw("now() + interval '1 minute'") });

      await markForStitching(knex, { entityIds: ['id-a'] });

      const after = (await rows())['component:default/a'];
      expect(after.due).toBe(true);
      expect(after.ticket).not.toBe(claimed);
    });

    it('leaves an entity that waits for stitching as it is', async () => {
      await knex('refresh_state')
        .where({ entity_id: 'id-a' })
        .update({
          next_stitch_at: knex.raw("now() - interval '1 hour'"),
          next_stitch_ticket: 'waiting',
        });
      const version = () =>
        knex('refresh_state')
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

    it('leaves out entities never processed', async () => {
      await markForStitching(knex, {
        entityRefs: ['component:default/unprocessed'],
      });

      await expect(rows()).resolves.toMatchObject({
        'component:default/unprocessed': { due: null, ticket: null },
      });
    });
  });
});
