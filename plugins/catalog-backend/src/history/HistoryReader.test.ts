import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { parseCursor } from './historyRows';
import { HistoryReader } from './HistoryReader';

const databases = TestDatabases.create();

async function insertEntity(knex: Knex, id: string, description: string) {
  await knex('refresh_state').insert({
    entity_id: id,
    entity_ref: `component:default/${id}`,
    unprocessed_entity: '{}',
    unprocessed_hash: 'h',
    next_update_at: knex.fn.now(),
    last_discovery_at: knex.fn.now(),
  });
  await knex('final_entities').insert({
    entity_id: id,
    entity_ref: `component:default/${id}`,
    hash: 'h',
    final_entity: JSON.stringify({
      kind: 'Component',
      metadata: { name: id, description },
    }),
    last_updated_at: knex.fn.now(),
  });
}

describe('HistoryReader', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    it('ends a feed page before it passes the byte bound, and the next page goes on from there', async () => {
      for (const name of ['a', 'b', 'c']) {
        await insertEntity(knex, name, 'x'.repeat(600));
      }
      const reader = new HistoryReader({
        knex,
        guard: {} as CatalogPermissionGuard,
        maxPageBytes: 1700,
      });
      const first = await reader.readChanges(() => true, undefined, 100);
      expect(first.items.map(item => item.entityUid)).toEqual(['a', 'b']);
      expect(first.more).toBe(true);
      expect(first.nextCursor).toBe(first.items[1].cursor);

      const second = await reader.readChanges(
        () => true,
        parseCursor(first.nextCursor!, 'cursor'),
        100,
      );
      expect(second.items.map(item => item.entityUid)).toEqual(['c']);
      expect(second.more).toBe(false);
    });
  });
});
