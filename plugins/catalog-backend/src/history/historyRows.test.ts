import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { setDeletionSource } from './changeSource';
import {
  parseCursor,
  readChangeRows,
  readEntityHistoryRows,
  toEntityChange,
  type FeedPosition,
} from './historyRows';
import { pruneHistory } from './pruneHistory';

const databases = TestDatabases.create();

const served = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, uid: name },
    spec: { owner: 'team-a', ...extra },
  });

async function insertEntity(
  knex: Knex | Knex.Transaction,
  id: string,
  finalEntity = served(id),
) {
  await knex('refresh_state').insert({
    entity_id: id,
    entity_ref: `component:default/${id}`,
    unprocessed_entity: '{}',
    unprocessed_hash: 'h',
    change_source: JSON.stringify({ type: 'provider', name: 'test-provider' }),
    next_update_at: knex.fn.now(),
    last_discovery_at: knex.fn.now(),
  });
  await knex('final_entities').insert({
    entity_id: id,
    entity_ref: `component:default/${id}`,
    hash: finalEntity,
    final_entity: finalEntity,
    last_updated_at: knex.fn.now(),
  });
}

/** Every change after `after`, page by page, as the feed serves them. */
async function readAll(knex: Knex, after?: FeedPosition) {
  const changes = [];
  for (;;) {
    const rows = await readChangeRows(knex, after, 2);
    if (rows.length === 0) {
      return changes;
    }
    changes.push(...rows.map(row => toEntityChange(row)));
    after = parseCursor(changes[changes.length - 1].cursor, 'cursor');
  }
}

describe('entity history capture', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });
    beforeEach(async () => {
      await knex('final_entities').delete();
      await knex('refresh_state').delete();
      await knex('entity_history').delete();
    });

    it('records creates, updates with a JSON patch, and deletes with the source the deleting path set', async () => {
      await insertEntity(knex, 'cart');
      await knex('final_entities')
        .where('entity_id', 'cart')
        .update({ final_entity: served('cart', { owner: 'team-b' }) });
      await knex.transaction(async tx => {
        await setDeletionSource(tx, { type: 'api', name: 'DELETE /x' });
        await tx('refresh_state').where('entity_id', 'cart').delete();
      });

      const changes = await readAll(knex);
      expect(changes.map(c => [c.type, c.entityUid, c.source])).toEqual([
        ['created', 'cart', { type: 'provider', name: 'test-provider' }],
        ['updated', 'cart', { type: 'provider', name: 'test-provider' }],
        ['deleted', 'cart', { type: 'api', name: 'DELETE /x' }],
      ]);
      expect(changes[1].patch).toEqual([
        { op: 'replace', path: '/spec/owner', value: 'team-b' },
      ]);
      expect(changes[2].entity).toBeNull();
      expect(changes[2].lastServed?.spec?.owner).toBe('team-b');
    });

    it('omits the patch of an update whose arrays are too long to diff, and still sends the entity', async () => {
      const relations = (from: number) =>
        Array.from({ length: 1000 }, (_, i) => ({
          type: 'dependsOn',
          targetRef: `component:default/dep-${from + i}`,
        }));
      await insertEntity(knex, 'big', served('big', { deps: relations(0) }));
      await knex('final_entities')
        .where('entity_id', 'big')
        .update({ final_entity: served('big', { deps: relations(1) }) });

      const started = Date.now();
      const [, update] = await readAll(knex);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(update.patch).toBeUndefined();
      expect(update.patchOmitted).toBe('too-large');
      expect((update.entity?.spec?.deps as unknown[]).length).toBe(1000);
    });

    it('records nothing for an update that leaves the served JSON as it was', async () => {
      await insertEntity(knex, 'same');
      await knex('final_entities')
        .where('entity_id', 'same')
        .update({ last_updated_at: knex.fn.now() });
      expect((await readAll(knex)).map(c => c.type)).toEqual(['created']);
    });

    it('rolls history entries back with their change', async () => {
      await expect(
        knex.transaction(async tx => {
          await insertEntity(tx, 'ghost');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await knex('entity_history')).toEqual([]);
    });

    it('captures nothing while capture is switched off', async () => {
      await knex('entity_history_state')
        .where({ name: 'capture' })
        .update({ enabled: false });
      try {
        await insertEntity(knex, 'quiet');
      } finally {
        await knex('entity_history_state')
          .where({ name: 'capture' })
          .update({ enabled: true });
      }
      expect(await knex('entity_history')).toEqual([]);
    });

    it('keeps the history of a ref across deletion and re-creation with a new uid', async () => {
      await insertEntity(knex, 'first');
      await knex('refresh_state').where('entity_id', 'first').delete();
      const rows = await readEntityHistoryRows(knex, {
        by: { entityRef: 'component:default/first' },
        order: 'desc',
        limit: 10,
      });
      expect(rows.map(r => r.change_type)).toEqual(['deleted', 'created']);
    });

    it('prunes past the newest maxEntries and answers a cursor behind the pruned ones with 410', async () => {
      for (const name of ['a', 'b', 'c', 'd']) {
        await insertEntity(knex, name);
      }
      const [first] = await readAll(knex);
      await expect(
        pruneHistory(knex, { maxAgeMs: 86_400_000, maxEntries: 2 }),
      ).resolves.toBe(2);
      expect((await readAll(knex)).map(c => c.entityUid)).toEqual(['c', 'd']);
      await expect(
        readChangeRows(knex, parseCursor(first.cursor, 'cursor'), 10),
      ).rejects.toThrow(
        `Changes after cursor '${first.cursor}' are no longer kept: 'catalog.history.retention' removed some of them. Re-list the catalog with GET /entities, then follow GET /changes from the 'nextCursor' of a page read before the listing.`,
      );
    });

    it('never skips changes that retention prunes while a page is being read', async () => {
      for (const name of ['a', 'b', 'c', 'd']) {
        await insertEntity(knex, name);
      }
      const [first] = await readAll(knex);
      let pruned = false;
      // Prunes right after the reader's first statement.
      const racing = new Proxy(knex, {
        get(target, property, receiver) {
          if (property !== 'raw') {
            return Reflect.get(target, property, receiver) as unknown;
          }
          return async (...args: Parameters<Knex['raw']>) => {
            const result: unknown = await target.raw(...args);
            if (!pruned) {
              pruned = true;
              await pruneHistory(knex, { maxAgeMs: 86_400_000, maxEntries: 2 });
            }
            return result;
          };
        },
      });
      const rows = await readChangeRows(
        racing,
        parseCursor(first.cursor, 'cursor'),
        10,
      );
      expect(pruned).toBe(true);
      expect(rows.map(row => row.entity_id)).toEqual(['b', 'c', 'd']);
    });

    it('prunes entries older than maxAge', async () => {
      await insertEntity(knex, 'old');
      await knex('entity_history').update({
        created_at: knex.raw("now() - interval '2 days'"),
      });
      await insertEntity(knex, 'new');
      await expect(
        pruneHistory(knex, { maxAgeMs: 86_400_000, maxEntries: 100 }),
      ).resolves.toBe(1);
      expect((await readAll(knex)).map(c => c.entityUid)).toEqual(['new']);
    });

    // PGlite serves one connection, so two transactions cannot be open at once.
    const onPostgres = id === 'POSTGRES' ? it : it.skip;
    onPostgres(
      'never lets a reader pass a change whose transaction commits after a later one',
      async () => {
        const early = await knex.transaction();
        const late = await knex.transaction();
        try {
          // `early` gets its transaction id first, its history row last.
          await early('refresh_state').insert({
            entity_id: 'early',
            entity_ref: 'component:default/early',
            unprocessed_entity: '{}',
            unprocessed_hash: 'h',
            next_update_at: knex.fn.now(),
            last_discovery_at: knex.fn.now(),
          });
          await insertEntity(late, 'late');
          await late.commit();
          expect(await readAll(knex)).toEqual([]);

          await early('final_entities').insert({
            entity_id: 'early',
            entity_ref: 'component:default/early',
            hash: 'h',
            final_entity: served('early'),
            last_updated_at: knex.fn.now(),
          });
          await early.commit();
        } finally {
          if (!early.isCompleted()) await early.rollback();
          if (!late.isCompleted()) await late.rollback();
        }
        const changes = await readAll(knex);
        expect(changes.map(c => c.entityUid)).toEqual(['early', 'late']);
      },
    );
  });
});
