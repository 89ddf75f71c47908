import type { JsonObject } from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  TestDatabases,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { ConfigLocationEntityProvider } from './ConfigLocationEntityProvider';
import { computeStableHash } from '../shared/computeStableHash';
import { createEntityProviderConnection } from './createEntityProviderConnection';
import {
  clearCatalogTables,
  groupEntity,
} from '../processing/createTestCatalog.fixture';

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

    const connect = (providerName = 'org', confirmedRemovals: string[] = []) =>
      createEntityProviderConnection({
        knex,
        providerName,
        logger,
        fullMutationGuard: { maxDeletionShare: 0.5, confirmedRemovals },
      });

    /** The confirmation id in the last warning about a held-back mutation. */
    const lastConfirmationId = () => {
      const warnings = logger.messages('warn');
      const match = /add '([0-9a-f]{12})'/.exec(warnings[warnings.length - 1]);
      return match?.[1];
    };

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

    it('holds back the removals of a full mutation that would remove more than the allowed share, writes what it gives and resolves', async () => {
      const connection = connect();
      const names = Array.from({ length: 10 }, (_, i) => `g${i}`);
      await connection.applyMutation({
        type: 'full',
        entities: groups(...names),
      });

      await connection.applyMutation({
        type: 'full',
        entities: groups('g0', 'g1', 'g2', 'g3', 'new'),
      });

      const id = lastConfirmationId();
      expect(logger.messages('warn')).toEqual([
        `Held back the removals of the full mutation of entity provider 'org', which would remove 6 of its 10 entities (60%), more than 'catalog.fullMutationGuard.maxDeletionShare' allows (50%): 'group:default/g4', 'group:default/g5', 'group:default/g6', 'group:default/g7', 'group:default/g8' and 1 more. The entities it gives were written, and the catalog keeps serving these ones. If the provider really lost them, add '${id}' to 'catalog.fullMutationGuard.confirmedRemovals' and restart; that id confirms exactly this removal.`,
      ]);
      expect(id).toMatch(/^[0-9a-f]{12}$/);
      await expect(
        knex('refresh_state').orderBy('entity_ref').pluck('entity_ref'),
      ).resolves.toEqual([
        ...names.map(name => `group:default/${name}`),
        'group:default/new',
      ]);
      expect(logger.messages('info')).toEqual([]);
    });

    it('holds back the removal of the only entity of a provider, but not its replacement', async () => {
      const connection = connect();
      await connection.applyMutation({ type: 'full', entities: groups('a') });

      await connection.applyMutation({ type: 'full', entities: groups('b') });

      expect(logger.messages('warn')).toEqual([
        `Held back the removals of the full mutation of entity provider 'org', which would remove its only entity: 'group:default/a'. The entities it gives were written, and the catalog keeps serving these ones. If the provider really lost them, add '${lastConfirmationId()}' to 'catalog.fullMutationGuard.confirmedRemovals' and restart; that id confirms exactly this removal.`,
      ]);
      await expect(
        knex('refresh_state').orderBy('entity_ref').pluck('entity_ref'),
      ).resolves.toEqual(['group:default/a', 'group:default/b']);
    });

    it('holds back the config provider emptied by a misspelt catalog key, and connects without an error', async () => {
      const targets = Array.from(
        { length: 17 },
        (_, i) => `https://git.example.com/repo-${i}/catalog-info.yaml`,
      );
      const provider = (data: JsonObject) =>
        new ConfigLocationEntityProvider({
          config: mockServices.rootConfig({ data }),
        });
      const connection = connect(provider({}).getProviderName());
      await provider({
        catalog: {
          locations: targets.map(target => ({ type: 'url', target })),
        },
      }).connect(connection);
      await expect(countEntities()).resolves.toBe(17);

      await expect(
        provider({
          catlog: {
            locations: targets.map(target => ({ type: 'url', target })),
          },
        }).connect(connection),
      ).resolves.toBeUndefined();

      await expect(countEntities()).resolves.toBe(17);
      expect(logger.messages('warn')).toEqual([
        expect.stringMatching(
          /^Held back the removals of the full mutation of entity provider 'ConfigLocationProvider', which would remove all 17 of its entities: 'location:default\/generated-[0-9a-f]+', .* and 12 more\. The entities it gives were written/,
        ),
      ]);
    });

    it('lets a full mutation remove one of three entities and add others', async () => {
      const connection = connect();
      await connection.applyMutation({
        type: 'full',
        entities: groups('a', 'b', 'c'),
      });

      await connection.applyMutation({
        type: 'full',
        entities: groups('a', 'b', 'd', 'e'),
      });

      await expect(
        knex('refresh_state').orderBy('entity_ref').pluck('entity_ref'),
      ).resolves.toEqual([
        'group:default/a',
        'group:default/b',
        'group:default/d',
        'group:default/e',
      ]);
      expect(logger.messages('warn')).toEqual([]);
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

    it('takes an empty first mutation of a provider for what it is, not a removal', async () => {
      await connect().applyMutation({ type: 'full', entities: [] });

      expect(logger.lines).toEqual([]);
    });

    it('lets a confirmed removal through, and no other removal', async () => {
      const names = Array.from({ length: 10 }, (_, i) => `g${i}`);
      await connect().applyMutation({
        type: 'full',
        entities: groups(...names),
      });
      await connect().applyMutation({
        type: 'full',
        entities: groups('g0', 'g1', 'g2', 'g3'),
      });
      const confirmed = lastConfirmationId()!;

      await connect('org', [confirmed]).applyMutation({
        type: 'full',
        entities: groups('g0', 'g1', 'g2'),
      });
      const other = lastConfirmationId();
      expect(other).not.toBe(confirmed);
      await expect(countEntities()).resolves.toBe(10);

      await connect('org', [confirmed]).applyMutation({
        type: 'full',
        entities: groups('g0', 'g1', 'g2', 'g3'),
      });
      await expect(countEntities()).resolves.toBe(4);
      expect(logger.messages('info')).toEqual([
        `Applied the full mutation of entity provider 'org' that removes 6 of its 10 entities, as confirmation id '${confirmed}' in 'catalog.fullMutationGuard.confirmedRemovals' allows.`,
        "Deleted 6 entities that nothing references any more, since entity provider 'org' stopped providing them or their ancestors: 'group:default/g4', 'group:default/g5', 'group:default/g6', 'group:default/g7', 'group:default/g8', 'group:default/g9'.",
      ]);
    });

    it('asks again to confirm the same refs once they were removed and provided anew', async () => {
      const names = Array.from({ length: 10 }, (_, i) => `g${i}`);
      const connection = connect();
      await connection.applyMutation({
        type: 'full',
        entities: groups(...names),
      });
      await connection.applyMutation({ type: 'full', entities: groups('g0') });
      const confirmed = lastConfirmationId()!;
      await connect('org', [confirmed]).applyMutation({
        type: 'full',
        entities: groups('g0'),
      });
      await connection.applyMutation({
        type: 'full',
        entities: groups(...names),
      });

      await connect('org', [confirmed]).applyMutation({
        type: 'full',
        entities: groups('g0'),
      });

      await expect(countEntities()).resolves.toBe(10);
      expect(lastConfirmationId()).not.toBe(confirmed);
    });

    it('applies a delta that removes every entity of a provider', async () => {
      const connection = connect();
      await connection.applyMutation({
        type: 'full',
        entities: groups('a', 'b'),
      });

      await connection.applyMutation({
        type: 'delta',
        added: [],
        removed: [
          { entityRef: 'group:default/a' },
          { entityRef: 'group:default/b' },
        ],
      });

      await expect(countEntities()).resolves.toBe(0);
      expect(logger.messages('warn')).toEqual([]);
      expect(logger.messages('info')).toEqual([
        "Deleted 2 entities that nothing references any more, since entity provider 'org' stopped providing them or their ancestors: 'group:default/a', 'group:default/b'.",
      ]);
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
          .join(
            'stitch_queue',
            'stitch_queue.entity_id',
            'refresh_state.entity_id',
          )
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
