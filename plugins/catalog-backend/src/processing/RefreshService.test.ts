import { NotFoundError } from '@plinth/errors';
import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { clearCatalogTables } from './createTestCatalog.fixture';
import { DefaultRefreshService } from './RefreshService';

const databases = TestDatabases.create();

describe('DefaultRefreshService', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      // config location -> generated location -> component, and a group beside
      const refs = [
        'location:default/config',
        'location:default/generated-1',
        'component:default/a',
        'group:default/team',
      ];
      await knex('refresh_state').insert(
        refs.map(ref => ({
          entity_id: ref,
          entity_ref: ref,
          unprocessed_entity: '{}',
          unprocessed_hash: 'h',
          next_update_at: knex.raw("now() + interval '1 hour'"),
        })),
      );
      await knex('refresh_state_references').insert([
        { source_key: 'config', target_entity_ref: 'location:default/config' },
        {
          source_entity_ref: 'location:default/config',
          target_entity_ref: 'location:default/generated-1',
        },
        {
          source_entity_ref: 'location:default/generated-1',
          target_entity_ref: 'component:default/a',
        },
        {
          source_entity_ref: 'component:default/a',
          target_entity_ref: 'group:default/team',
        },
      ]);
    });

    const due = () =>
      knex('refresh_state')
        .where('next_update_at', '<=', knex.fn.now())
        .orderBy('entity_ref')
        .pluck('entity_ref');

    it('makes the entity and the Location entities it was read through due', async () => {
      await new DefaultRefreshService({ knex }).refresh({
        entityRef: 'Component:default/A',
      });

      await expect(due()).resolves.toEqual([
        'component:default/a',
        'location:default/config',
        'location:default/generated-1',
      ]);
    });

    it('calls onScheduled once the entities are due, and not for an unknown entity', async () => {
      let calls = 0;
      const service = new DefaultRefreshService({
        knex,
        onScheduled: () => {
          calls += 1;
        },
      });

      await service.refresh({ entityRef: 'component:default/a' });
      await expect(
        service.refresh({ entityRef: 'component:default/unknown' }),
      ).rejects.toThrow(NotFoundError);

      expect(calls).toBe(1);
    });

    it('refreshes only the entity when no Location entity emitted it', async () => {
      await new DefaultRefreshService({ knex }).refresh({
        entityRef: 'location:default/config',
      });

      await expect(due()).resolves.toEqual(['location:default/config']);
    });

    it('makes an entity that a run holds due once its claim lapses, and marks it to be processed again when the run ends', async () => {
      await knex('refresh_state')
        .where({ entity_ref: 'location:default/config' })
        .update({
          claim_id: 'run-1',
          claim_expires_at: knex.raw("now() + interval '1 minute'"),
        });

      await new DefaultRefreshService({ knex }).refresh({
        entityRef: 'location:default/config',
      });

      await expect(due()).resolves.toEqual([]);
      const [row] = await knex('refresh_state')
        .where({ entity_ref: 'location:default/config' })
        .select<Array<{ refresh_requested: boolean; at_lapse: boolean }>>(
          'refresh_requested',
          knex.raw('next_update_at = claim_expires_at AS at_lapse'),
        );
      expect(row).toEqual({ refresh_requested: true, at_lapse: true });
    });

    it('makes an entity due at once when the claim of its run has lapsed, marked so a late write of that run cannot push it an interval ahead', async () => {
      await knex('refresh_state')
        .where({ entity_ref: 'location:default/config' })
        .update({
          claim_id: 'run-1',
          claim_expires_at: knex.raw("now() - interval '1 second'"),
          refresh_requested: true,
        });

      await new DefaultRefreshService({ knex }).refresh({
        entityRef: 'location:default/config',
      });

      await expect(due()).resolves.toEqual(['location:default/config']);
      await expect(
        knex('refresh_state')
          .where({ entity_ref: 'location:default/config' })
          .pluck('refresh_requested'),
      ).resolves.toEqual([true]);
    });

    it('throws a not found error for an unknown entity', async () => {
      await expect(
        new DefaultRefreshService({ knex }).refresh({
          entityRef: 'component:default/nothing',
        }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message:
          "Entity 'component:default/nothing' not found; check the ref, written as 'kind:namespace/name', against the catalog.",
      });
    });

    it('rejects a ref without a kind', async () => {
      await expect(
        new DefaultRefreshService({ knex }).refresh({ entityRef: 'a' }),
      ).rejects.toMatchObject({ name: 'InputError' });
    });
  });
});
