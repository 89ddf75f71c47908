import { MockLoggerService, TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { computeStableHash } from './computeStableHash';
import { createEntityProviderConnection } from './createEntityProviderConnection';
import { clearCatalogTables, groupEntity } from './createTestCatalog.fixture';

const databases = TestDatabases.create();

describe('createEntityProviderConnection', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let logger: MockLoggerService;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      logger = MockLoggerService.create();
    });

    const connect = (providerName = 'org', minEntities = 10) =>
      createEntityProviderConnection({
        knex,
        providerName,
        logger,
        fullMutationGuard: { maxDeletionShare: 0.5, minEntities },
      });

    const countEntities = async () =>
      Number((await knex('refresh_state').count({ n: '*' }))[0].n);

    const groups = (...names: string[]) =>
      names.map(name => ({ entity: groupEntity(name) }));

    const state = async () =>
      Object.fromEntries(
        (
          await knex('refresh_state').select<
            Array<{
              entity_ref: string;
              xmin: string;
              location_key: string | null;
            }>
          >('entity_ref', 'location_key', knex.raw('xmin::text AS xmin'))
        ).map(row => [row.entity_ref, row]),
      );

    it('writes new entities due at once, and leaves unchanged ones untouched', async () => {
      const connection = connect();
      await connection.applyMutation({
        type: 'full',
        entities: groups('a', 'b'),
      });
      const before = await state();
      await knex('refresh_state').update({
        next_update_at: knex.raw("now() + interval '1 hour'"),
      });
      const pushed = await state();

      const changed = groupEntity('b');
      changed.metadata.description = 'changed';
      await connection.applyMutation({
        type: 'full',
        entities: [...groups('a'), { entity: changed }],
      });

      expect(Object.keys(before).sort()).toEqual([
        'group:default/a',
        'group:default/b',
      ]);
      const after = await state();
      expect(after['group:default/a'].xmin).toBe(
        pushed['group:default/a'].xmin,
      );
      expect(after['group:default/b'].xmin).not.toBe(
        pushed['group:default/b'].xmin,
      );
      const due = await knex('refresh_state')
        .where('next_update_at', '<=', knex.fn.now())
        .pluck('entity_ref');
      expect(due).toEqual(['group:default/b']);
      await expect(
        knex('refresh_state_references')
          .orderBy('target_entity_ref')
          .select('source_key', 'target_entity_ref'),
      ).resolves.toEqual([
        { source_key: 'org', target_entity_ref: 'group:default/a' },
        { source_key: 'org', target_entity_ref: 'group:default/b' },
      ]);
    });

    it('deletes on a full mutation the entities left out, with the children they emitted', async () => {
      const connection = connect();
      await connection.applyMutation({
        type: 'full',
        entities: groups('a', 'b'),
      });
      await knex('refresh_state').insert({
        entity_id: 'child',
        entity_ref: 'component:default/child',
        unprocessed_entity: '{}',
        unprocessed_hash: 'h',
        next_update_at: knex.fn.now(),
      });
      await knex('refresh_state_references').insert({
        source_entity_ref: 'group:default/b',
        target_entity_ref: 'component:default/child',
      });

      await connection.applyMutation({ type: 'full', entities: groups('a') });

      await expect(knex('refresh_state').pluck('entity_ref')).resolves.toEqual([
        'group:default/a',
      ]);
    });

    it('refuses a full mutation that would delete more than the allowed share, and writes nothing', async () => {
      const connection = connect();
      const names = Array.from({ length: 10 }, (_, i) => `g${i}`);
      await connection.applyMutation({
        type: 'full',
        entities: groups(...names),
      });

      const message =
        "Refused the full mutation of entity provider 'org': it would delete 6 of its 10 entities (60%), more than 'catalog.fullMutationGuard.maxDeletionShare' allows (50%). If the provider really lost these entities, raise that setting, or remove them with a delta mutation.";
      await expect(
        connection.applyMutation({
          type: 'full',
          entities: groups('g0', 'g1', 'g2', 'g3', 'new'),
        }),
      ).rejects.toMatchObject({ name: 'ConflictError', message });

      expect(logger.messages('error')).toEqual([message]);
      await expect(countEntities()).resolves.toBe(10);
    });

    it('allows a full mutation to delete half of the entities', async () => {
      const connection = connect();
      const names = Array.from({ length: 10 }, (_, i) => `g${i}`);
      await connection.applyMutation({
        type: 'full',
        entities: groups(...names),
      });

      await connection.applyMutation({
        type: 'full',
        entities: groups(...names.slice(5)),
      });

      await expect(countEntities()).resolves.toBe(5);
    });

    it('applies the guard only to providers with at least the minimum of entities', async () => {
      const connection = connect('org', 3);
      await connection.applyMutation({
        type: 'full',
        entities: groups('a', 'b'),
      });

      await connection.applyMutation({ type: 'full', entities: [] });

      await expect(countEntities()).resolves.toBe(0);
    });

    it('keeps an entity another source still references when a provider removes it', async () => {
      await connect('one').applyMutation({
        type: 'full',
        entities: groups('shared'),
      });
      await connect('two').applyMutation({
        type: 'full',
        entities: groups('shared'),
      });

      await connect('one').applyMutation({
        type: 'delta',
        added: [],
        removed: [{ entity: groupEntity('shared') }],
      });

      await expect(knex('refresh_state').pluck('entity_ref')).resolves.toEqual([
        'group:default/shared',
      ]);
      await expect(
        knex('refresh_state_references').pluck('source_key'),
      ).resolves.toEqual(['two']);
    });

    it('keeps an entity that a delta both adds and removes', async () => {
      const connection = connect();
      await connection.applyMutation({ type: 'full', entities: groups('a') });

      await connection.applyMutation({
        type: 'delta',
        added: groups('a'),
        removed: [{ entityRef: 'Group:default/A' }],
      });

      await expect(knex('refresh_state').pluck('entity_ref')).resolves.toEqual([
        'group:default/a',
      ]);
    });

    it('logs an entity whose ref another location owns, without writing it', async () => {
      await connect('one').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('a'), locationKey: 'url:one' }],
      });

      const other: Entity = {
        ...groupEntity('a'),
        spec: { type: 'other', children: [] },
      };
      await connect('two').applyMutation({
        type: 'full',
        entities: [{ entity: other, locationKey: 'url:two' }],
      });

      expect(logger.messages('warn')).toEqual([
        "Entity 'group:default/a' from location 'url:two' of entity provider 'two' conflicts with the same entity already provided by location 'url:one'; remove one of them, or delete the entity so the other can claim it.",
      ]);
      const [row] = await knex('refresh_state').select(
        'unprocessed_entity',
        'location_key',
      );
      expect(row.location_key).toBe('url:one');
      expect(JSON.parse(row.unprocessed_entity)).toMatchObject({
        spec: { type: 'team' },
      });
    });

    it('lets a provider move its own entity to another location key', async () => {
      const connection = connect();
      await connection.applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('a'), locationKey: 'url:old' }],
      });

      await connection.applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('a'), locationKey: 'url:new' }],
      });

      await expect(
        knex('refresh_state').pluck('location_key'),
      ).resolves.toEqual(['url:new']);
      expect(logger.messages('warn')).toEqual([]);
    });

    it('uses the first of two entities with one ref in a mutation, and logs the other', async () => {
      const second = groupEntity('A');
      second.metadata.description = 'second';

      await connect().applyMutation({
        type: 'full',
        entities: [...groups('a'), { entity: second }],
      });

      expect(logger.messages('warn')).toEqual([
        "Entity provider 'org' gave entity 'group:default/a' more than once in one mutation, again at entities[1]; the first one is used.",
      ]);
      const [row] = await knex('refresh_state').pluck('unprocessed_entity');
      expect(JSON.parse(row).metadata.description).toBeUndefined();
    });

    it('rejects an entity without a kind or a name', async () => {
      const broken = { ...groupEntity('a'), kind: '' };

      await expect(
        connect().applyMutation({
          type: 'delta',
          added: [{ entity: broken }],
          removed: [],
        }),
      ).rejects.toThrow(
        "Entity provider 'org' gave an entity without a kind or 'metadata.name' at added[0]; every entity needs a non-empty 'kind' and 'metadata.name' (and 'metadata.namespace', if given).",
      );
    });

    it('rejects a removal without an entity ref', async () => {
      await expect(
        connect().applyMutation({
          type: 'delta',
          added: [],
          removed: [{ entityRef: '' }],
        }),
      ).rejects.toThrow(
        "Entity provider 'org' removed an entity without an entity ref at removed[0]; give 'entityRef' as 'kind:namespace/name' or the entity itself.",
      );
    });

    it('rejects a mutation of unknown type', async () => {
      await expect(
        connect().applyMutation({ type: 'replace' } as never),
      ).rejects.toThrow(
        "Entity provider 'org' applied a mutation of unknown type 'replace'; use 'full' or 'delta'.",
      );
    });

    it('marks for stitching an entity it newly references, which may have been an orphan', async () => {
      const entity = groupEntity('a');
      await knex('refresh_state').insert({
        entity_id: 'id-a',
        entity_ref: 'group:default/a',
        unprocessed_entity: JSON.stringify(entity),
        unprocessed_hash: computeStableHash(entity),
        processed_entity: JSON.stringify(entity),
        next_update_at: knex.raw("now() + interval '1 hour'"),
      });

      await connect().applyMutation({ type: 'full', entities: [{ entity }] });

      await expect(
        knex('refresh_state')
          .whereNotNull('next_stitch_at')
          .pluck('entity_ref'),
      ).resolves.toEqual(['group:default/a']);
      await expect(
        knex('refresh_state')
          .where('next_update_at', '<=', knex.fn.now())
          .pluck('entity_ref'),
      ).resolves.toEqual([]);
    });

    it('makes due the entities that emitted the refreshed keys', async () => {
      const connection = connect();
      await connection.applyMutation({
        type: 'full',
        entities: groups('a', 'b'),
      });
      await knex('refresh_state').update({
        next_update_at: knex.raw("now() + interval '1 hour'"),
      });
      const ids = Object.fromEntries(
        (await knex('refresh_state').select('entity_ref', 'entity_id')).map(
          r => [r.entity_ref, r.entity_id],
        ),
      );
      await knex('refresh_keys').insert([
        { entity_id: ids['group:default/a'], key: 'url:a' },
        { entity_id: ids['group:default/b'], key: 'url:b' },
      ]);

      await connection.refresh({ keys: ['url:b', 'url:unknown'] });

      await expect(
        knex('refresh_state')
          .where('next_update_at', '<=', knex.fn.now())
          .pluck('entity_ref'),
      ).resolves.toEqual(['group:default/b']);
    });
  });
});
