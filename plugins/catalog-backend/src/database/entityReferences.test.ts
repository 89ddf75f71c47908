import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import { deleteOrphans } from './entityReferences';

const databases = TestDatabases.create();

describe('deleteOrphans', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      // parent -> child -> grandchild; shared is also kept by a provider;
      // team is related to grandchild but not emitted by the tree.
      const refs = ['parent', 'child', 'grandchild', 'shared', 'team'];
      await knex('refresh_state').insert(
        refs.map(name => ({
          entity_id: `id-${name}`,
          entity_ref: `component:default/${name}`,
          unprocessed_entity: '{}',
          unprocessed_hash: 'h',
          processed_entity: '{}',
          next_update_at: knex.fn.now(),
        })),
      );
      await knex('refresh_state_references').insert([
        { source_key: 'test', target_entity_ref: 'component:default/team' },
        { source_key: 'test', target_entity_ref: 'component:default/shared' },
        {
          source_entity_ref: 'component:default/parent',
          target_entity_ref: 'component:default/child',
        },
        {
          source_entity_ref: 'component:default/parent',
          target_entity_ref: 'component:default/shared',
        },
        {
          source_entity_ref: 'component:default/child',
          target_entity_ref: 'component:default/grandchild',
        },
      ]);
      await knex('relations').insert([
        {
          originating_entity_id: 'id-grandchild',
          source_entity_ref: 'component:default/team',
          type: 'ownerOf',
          target_entity_ref: 'component:default/grandchild',
        },
      ]);
    });

    const remaining = () =>
      knex('refresh_state').orderBy('entity_ref').pluck('entity_ref');

    it('deletes unreferenced candidates and the descendants this leaves unreferenced', async () => {
      const deleted = await knex.transaction(tx =>
        deleteOrphans(tx, ['component:default/parent']),
      );

      expect(deleted.sort()).toEqual([
        'component:default/child',
        'component:default/grandchild',
        'component:default/parent',
      ]);
      await expect(remaining()).resolves.toEqual([
        'component:default/shared',
        'component:default/team',
      ]);
    });

    it('marks for stitching the entities related to a deleted one', async () => {
      await knex.transaction(tx =>
        deleteOrphans(tx, ['component:default/parent']),
      );

      await expect(
        knex('refresh_state')
          .join(
            'stitch_queue',
            'stitch_queue.entity_id',
            'refresh_state.entity_id',
          )
          .pluck('entity_ref'),
      ).resolves.toEqual(['component:default/team']);
    });

    it('keeps candidates that are still referenced', async () => {
      const deleted = await knex.transaction(tx =>
        deleteOrphans(tx, [
          'component:default/child',
          'component:default/shared',
        ]),
      );

      expect(deleted).toEqual([]);
      await expect(remaining()).resolves.toHaveLength(5);
    });
  });
});
