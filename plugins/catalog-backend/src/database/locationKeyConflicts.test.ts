import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import {
  clearCatalogTables,
  componentYaml,
  createTestCatalog,
  groupEntity,
  locationEntity,
} from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';

const databases = TestDatabases.create();

interface ConflictRow {
  entity_ref: string;
  source_key: string | null;
  source_entity_ref: string | null;
  location_key: string | null;
  existing_location_key: string | null;
  detected_at: Date | string;
}

describe('recordLocationKeyConflicts', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
    });

    const conflicts = () =>
      knex('location_key_conflicts')
        .orderBy(['entity_ref', 'source_key'])
        .select<ConflictRow[]>('*');

    const makeDue = (ref: string) =>
      knex('refresh_state')
        .where({ entity_ref: ref })
        .update({ next_update_at: knex.raw(`now() - INTERVAL '1 second'`) });

    it('records a child that a parent could not write, keeps its time while the parent emits it, and drops it once the parent stops', async () => {
      const catalog = createTestCatalog(knex);
      catalog.files.set('/one.yaml', componentYaml('shared'));
      catalog.files.set('/two.yaml', componentYaml('shared'));
      const connection = catalog.connect('config');
      await connection.applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('one', '/one.yaml') }],
      });
      await catalog.runUntilIdle();
      await connection.applyMutation({
        type: 'delta',
        added: [{ entity: locationEntity('two', '/two.yaml') }],
        removed: [],
      });
      await catalog.runUntilIdle();

      const [first] = await conflicts();
      expect(first).toMatchObject({
        entity_ref: 'component:default/shared',
        source_key: null,
        source_entity_ref: 'location:default/two',
        location_key: 'mem:/two.yaml',
        existing_location_key: 'mem:/one.yaml',
      });

      await makeDue('location:default/two');
      await catalog.runUntilIdle();
      await expect(conflicts()).resolves.toEqual([first]);

      catalog.files.set('/two.yaml', componentYaml('other'));
      await makeDue('location:default/two');
      await catalog.runUntilIdle();
      await expect(conflicts()).resolves.toEqual([]);
    });

    it("records a provider's refused entity and drops it once a delta removes it", async () => {
      const catalog = createTestCatalog(knex);
      await catalog.connect('first').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('team'), locationKey: 'mem:/a' }],
      });
      const second = catalog.connect('second');
      await second.applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('team'), locationKey: 'mem:/b' }],
      });

      await expect(conflicts()).resolves.toEqual([
        expect.objectContaining({
          entity_ref: 'group:default/team',
          source_key: 'second',
          location_key: 'mem:/b',
          existing_location_key: 'mem:/a',
        }),
      ]);

      await second.applyMutation({
        type: 'delta',
        added: [],
        removed: [{ entityRef: 'group:default/team' }],
      });
      await expect(conflicts()).resolves.toEqual([]);
    });

    it('drops a conflict when the contested entity is deleted', async () => {
      const catalog = createTestCatalog(knex);
      const first = catalog.connect('first');
      await first.applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('team'), locationKey: 'mem:/a' }],
      });
      await catalog.connect('second').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('team'), locationKey: 'mem:/b' }],
      });

      await first.applyMutation({
        type: 'delta',
        added: [],
        removed: [{ entityRef: 'group:default/team' }],
      });

      await expect(conflicts()).resolves.toEqual([]);
    });
  });
});
