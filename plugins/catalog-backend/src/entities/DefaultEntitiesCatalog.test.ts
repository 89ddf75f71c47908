import { TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { DefaultEntitiesCatalog } from './DefaultEntitiesCatalog';
import type {
  EntityJson,
  QueryEntitiesCursor,
  QueryEntitiesResponse,
} from './EntitiesCatalog';
import { seedFinalEntities } from './seedFinalEntities.fixture';

const databases = TestDatabases.create();

function entity(
  kind: string,
  name: string,
  extra: { namespace?: string; spec?: Entity['spec']; tags?: string[] } = {},
  relations: Entity['relations'] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      ...(extra.namespace && { namespace: extra.namespace }),
      ...(extra.tags && { tags: extra.tags }),
    },
    ...(extra.spec && { spec: extra.spec }),
    relations,
  };
}

const entities = [
  entity(
    'Component',
    'petstore',
    {
      spec: { type: 'service', owner: 'team-a' },
      tags: ['java', 'Go', 'java'],
    },
    [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
  ),
  entity('Component', 'Wayback', { spec: { type: 'website' } }),
  entity('Component', 'billing', {
    namespace: 'prod',
    spec: { type: 'service' },
  }),
  entity('Component', 'legacy', { spec: {}, tags: ['java'] }),
  entity('API', 'petstore-api', { spec: { type: 'openapi' } }),
  entity('Group', 'team-a', { spec: { type: 'team' } }, [
    { type: 'ownerOf', targetRef: 'component:default/petstore' },
  ]),
];

/** Each served entity's ref, as the client would write it. */
function refs(items: Array<EntityJson | null>): Array<string | null> {
  return items.map(item => {
    if (item === null) {
      return null;
    }
    const { kind, metadata } = JSON.parse(item) as Entity;
    return `${kind}:${metadata.namespace ?? 'default'}/${metadata.name}`;
  });
}

describe('DefaultEntitiesCatalog', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let catalog: DefaultEntitiesCatalog;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      await seedFinalEntities(knex, entities);
      catalog = DefaultEntitiesCatalog.create({ knex });
    });

    it('runs reads shaped by the request with a statement timeout and no JIT, in a transaction of their own', async () => {
      const seen: Array<{ sql: string; bindings: unknown; tx?: string }> = [];
      const listener = (query: {
        sql: string;
        bindings: unknown;
        __knexTxId?: string;
      }) =>
        seen.push({
          sql: query.sql,
          bindings: query.bindings,
          tx: query.__knexTxId,
        });
      knex.on('query', listener);
      try {
        await DefaultEntitiesCatalog.create({
          knex,
          statementTimeoutMs: 1234,
        }).listEntities({ limit: 1 });
      } finally {
        knex.off('query', listener);
      }
      const setting = seen.find(q => q.sql.includes('set_config'));
      expect(setting).toMatchObject({
        sql: "SELECT set_config('statement_timeout', $1, true), set_config('jit', 'off', true)",
        bindings: ['1234'],
      });
      const select = seen.find(q => q.sql.includes('FROM final_entities'));
      expect(setting?.tx).toBeDefined();
      expect(select?.tx).toBe(setting?.tx);
    });

    // PGlite runs one statement at a time in-process and cannot cancel one.
    (id === 'POSTGRES' ? it : it.skip)(
      'answers 400 naming the config key when a read runs past the statement timeout',
      async () => {
        const lock = await knex.transaction();
        try {
          await lock.raw('LOCK TABLE final_entities IN ACCESS EXCLUSIVE MODE');
          const read = DefaultEntitiesCatalog.create({
            knex,
            statementTimeoutMs: 200,
          }).listEntities({ limit: 1 });
          await expect(read).rejects.toThrow(InputError);
          await expect(read).rejects.toThrow(
            "The catalog query was cancelled after 200 ms, the most that 'catalog.queryLimits.statementTimeout' allows one read. Narrow the filter, or ask for fewer order fields, fields or entities.",
          );
        } finally {
          await lock.rollback();
        }
        await expect(catalog.listEntities({ limit: 1 })).resolves.toMatchObject(
          { entities: [expect.any(String)] },
        );
      },
    );

    describe('listEntities', () => {
      it('lists every entity by ref and serves the stored JSON as it is', async () => {
        const page = await catalog.listEntities({ limit: 100 });
        expect(refs(page.entities)).toEqual([
          'API:default/petstore-api',
          'Component:default/legacy',
          'Component:default/petstore',
          'Component:default/Wayback',
          'Component:prod/billing',
          'Group:default/team-a',
        ]);
        expect(page.endPosition).toBeUndefined();
        expect(JSON.parse(page.entities[2])).toMatchObject(entities[0]);
      });

      it('requires every condition of a set, case-insensitively', async () => {
        const page = await catalog.listEntities({
          limit: 100,
          filter: [
            [
              { key: 'KIND', values: ['component'] },
              { key: 'spec.type', values: ['SERVICE'] },
            ],
          ],
        });
        expect(refs(page.entities)).toEqual([
          'Component:default/petstore',
          'Component:prod/billing',
        ]);
      });

      it('accepts any of several values of one key, and any of several sets', async () => {
        const page = await catalog.listEntities({
          limit: 100,
          filter: [
            [{ key: 'spec.type', values: ['website', 'openapi'] }],
            [{ key: 'kind', values: ['group'] }],
          ],
        });
        expect(refs(page.entities)).toEqual([
          'API:default/petstore-api',
          'Component:default/Wayback',
          'Group:default/team-a',
        ]);
      });

      it('matches keys that exist, array items, relations and the default namespace', async () => {
        const list = async (key: string, values?: string[]) =>
          refs(
            (
              await catalog.listEntities({
                limit: 100,
                filter: [[{ key, ...(values && { values }) }]],
              })
            ).entities,
          );
        expect(await list('metadata.tags')).toEqual([
          'Component:default/legacy',
          'Component:default/petstore',
        ]);
        expect(await list('metadata.tags.go', ['true'])).toEqual([
          'Component:default/petstore',
        ]);
        expect(
          await list('relations.ownedBy', ['group:default/team-a']),
        ).toEqual(['Component:default/petstore']);
        expect(await list('metadata.namespace', ['prod'])).toEqual([
          'Component:prod/billing',
        ]);
        expect(await list('metadata.namespace', ['default'])).toHaveLength(5);
      });

      it('matches nothing with an empty list of sets', async () => {
        const page = await catalog.listEntities({ limit: 100, filter: [] });
        expect(page.entities).toEqual([]);
      });

      it('orders by a field either way, with entities lacking it last', async () => {
        const list = async (order: 'asc' | 'desc') =>
          refs(
            (
              await catalog.listEntities({
                limit: 100,
                order: [{ field: 'spec.type', order }],
              })
            ).entities,
          );
        expect(await list('asc')).toEqual([
          'API:default/petstore-api',
          'Component:default/petstore',
          'Component:prod/billing',
          'Group:default/team-a',
          'Component:default/Wayback',
          'Component:default/legacy',
        ]);
        expect(await list('desc')).toEqual([
          'Component:default/Wayback',
          'Group:default/team-a',
          'Component:default/petstore',
          'Component:prod/billing',
          'API:default/petstore-api',
          'Component:default/legacy',
        ]);
      });

      it('pages after a position through the whole order, one page at a time', async () => {
        const order = [
          { field: 'metadata.tags', order: 'desc' as const },
          { field: 'spec.type', order: 'asc' as const },
        ];
        const whole = await catalog.listEntities({ limit: 100, order });
        const seen: EntityJson[] = [];
        let page = await catalog.listEntities({ limit: 1, order });
        seen.push(...page.entities);
        while (page.endPosition) {
          page = await catalog.listEntities({
            limit: 1,
            order,
            after: page.endPosition,
          });
          seen.push(...page.entities);
        }
        expect(refs(seen)).toEqual(refs(whole.entities));
        expect(refs(whole.entities).slice(0, 3)).toEqual([
          'Component:default/petstore',
          'Component:default/legacy',
          'API:default/petstore-api',
        ]);
      });

      it('skips an offset and tells the position of the last entity when more follow', async () => {
        const page = await catalog.listEntities({ limit: 2, offset: 1 });
        expect(refs(page.entities)).toEqual([
          'Component:default/legacy',
          'Component:default/petstore',
        ]);
        expect(page.endPosition).toEqual(['component:default/petstore']);
      });

      it('keeps only the selected fields', async () => {
        const page = await catalog.listEntities({
          limit: 2,
          fields: ['kind', 'metadata.name', 'spec.type', 'spec.missing'],
        });
        expect(page.entities.map(e => JSON.parse(e) as unknown)).toEqual([
          {
            kind: 'API',
            metadata: { name: 'petstore-api' },
            spec: { type: 'openapi' },
          },
          { kind: 'Component', metadata: { name: 'legacy' } },
        ]);
      });
    });

    describe('queryEntities', () => {
      const orderFields = [{ field: 'metadata.name', order: 'asc' as const }];

      async function follow(
        cursor: QueryEntitiesCursor | undefined,
        limit = 2,
      ) {
        expect(cursor).toBeDefined();
        return catalog.queryEntities({ limit, query: { cursor: cursor! } });
      }

      it('pages forwards and backwards with cursors that keep the query and the total', async () => {
        const first = await catalog.queryEntities({
          limit: 2,
          query: { orderFields, totalItems: 'include' },
        });
        expect(refs(first.items)).toEqual([
          'Component:prod/billing',
          'Component:default/legacy',
        ]);
        expect(first.totalItems).toBe(6);
        expect(first.prevCursor).toBeUndefined();
        const second = await follow(first.nextCursor);
        expect(refs(second.items)).toEqual([
          'Component:default/petstore',
          'API:default/petstore-api',
        ]);
        const third = await follow(second.nextCursor);
        expect(refs(third.items)).toEqual([
          'Group:default/team-a',
          'Component:default/Wayback',
        ]);
        expect(third.nextCursor).toBeUndefined();
        expect(third.totalItems).toBe(6);
        const back = await follow(third.prevCursor);
        expect(refs(back.items)).toEqual(refs(second.items));
        const start = await follow(back.prevCursor);
        expect(refs(start.items)).toEqual(refs(first.items));
        expect(start.prevCursor).toBeUndefined();
        expect(start.nextCursor).toBeDefined();
      });

      it('keeps the filter in its cursors, ordering by uid without order fields', async () => {
        const first = await catalog.queryEntities({
          limit: 1,
          query: {
            filter: [[{ key: 'kind', values: ['component'] }]],
            orderFields: [],
            totalItems: 'include',
          },
        });
        expect(first.totalItems).toBe(4);
        const seen = [...first.items];
        let page: QueryEntitiesResponse = first;
        while (page.nextCursor) {
          page = await follow(page.nextCursor, 1);
          seen.push(...page.items);
        }
        expect(refs(seen).sort()).toEqual([
          'Component:default/Wayback',
          'Component:default/legacy',
          'Component:default/petstore',
          'Component:prod/billing',
        ]);
        const uids = seen.map(
          item => (JSON.parse(item) as Entity).metadata.uid,
        );
        expect(uids).toEqual([...uids].sort());
      });

      it('finds a term in the given fields, or in the order field, treating % and _ literally', async () => {
        const query = async (term: string, fields?: string[]) =>
          refs(
            (
              await catalog.queryEntities({
                limit: 10,
                query: {
                  orderFields,
                  fullTextFilter: { term, ...(fields && { fields }) },
                  totalItems: 'include',
                },
              })
            ).items,
          );
        expect(await query(' PET ')).toEqual([
          'Component:default/petstore',
          'API:default/petstore-api',
        ]);
        expect(await query('SERV', ['spec.type', 'kind'])).toEqual([
          'Component:prod/billing',
          'Component:default/petstore',
        ]);
        expect(await query('pet%api')).toEqual([]);
        expect(await query('e_')).toEqual([]);
      });

      it('answers a total of zero when asked not to count, and no page for a limit of zero', async () => {
        const excluded = await catalog.queryEntities({
          limit: 1,
          query: { orderFields: [], totalItems: 'exclude' },
        });
        expect(excluded.totalItems).toBe(0);
        expect(excluded.items).toHaveLength(1);
        const counted = await catalog.queryEntities({
          limit: 0,
          query: { orderFields: [], totalItems: 'include' },
        });
        expect(counted).toEqual({ items: [], totalItems: 6 });
      });

      it('starts the first page at an offset and projects fields', async () => {
        const page = await catalog.queryEntities({
          limit: 1,
          fields: ['metadata.name'],
          query: { orderFields, offset: 4, totalItems: 'include' },
        });
        expect(page.items.map(item => JSON.parse(item) as unknown)).toEqual([
          { metadata: { name: 'team-a' } },
        ]);
        expect(page.prevCursor).toBeUndefined();
        const last = await follow(page.nextCursor, 5);
        expect(refs(last.items)).toEqual(['Component:default/Wayback']);
      });
    });

    describe('getEntitiesByRefs', () => {
      it('answers in request order with null for unknown, malformed and filtered-out refs', async () => {
        const items = await catalog.getEntitiesByRefs({
          entityRefs: [
            'group:team-a',
            'COMPONENT:default/WAYBACK',
            'component:default/nothing',
            'no-kind',
            'component:prod/billing',
            'group:team-a',
          ],
        });
        expect(refs(items)).toEqual([
          'Group:default/team-a',
          'Component:default/Wayback',
          null,
          null,
          'Component:prod/billing',
          'Group:default/team-a',
        ]);
      });

      it('applies the filter and the fields', async () => {
        const items = await catalog.getEntitiesByRefs({
          entityRefs: ['group:default/team-a', 'component:default/petstore'],
          filter: [[{ key: 'kind', values: ['component'] }]],
          fields: ['metadata.tags'],
        });
        expect(items).toEqual([
          null,
          '{"metadata":{"tags":["java","Go","java"]}}',
        ]);
      });
    });

    describe('getEntityByRef and getEntityByUid', () => {
      it('find an entity by ref in any case, and by uid', async () => {
        const json = await catalog.getEntityByRef('component:DEFAULT/wayback');
        expect(refs([json ?? null])).toEqual(['Component:default/Wayback']);
        const { uid } = (JSON.parse(json!) as Entity).metadata;
        expect(await catalog.getEntityByUid(uid!)).toBe(json);
        expect(
          await catalog.getEntityByRef('component:default/x'),
        ).toBeUndefined();
        expect(await catalog.getEntityByUid('no-such-uid')).toBeUndefined();
      });
    });

    describe('getEntityFacets', () => {
      it('counts the entities that have each value as written, most common first, each entity once', async () => {
        expect(
          await catalog.getEntityFacets({
            facets: ['kind', 'metadata.tags', 'spec.lifecycle'],
          }),
        ).toEqual({
          facets: {
            kind: [
              { value: 'Component', count: 4 },
              { value: 'API', count: 1 },
              { value: 'Group', count: 1 },
            ],
            'metadata.tags': [
              { value: 'java', count: 2 },
              { value: 'Go', count: 1 },
            ],
            'spec.lifecycle': [],
          },
        });
      });

      it('counts only the entities that match the filter', async () => {
        expect(
          await catalog.getEntityFacets({
            facets: ['Spec.Type'],
            filter: [[{ key: 'kind', values: ['component'] }]],
          }),
        ).toEqual({
          facets: {
            'Spec.Type': [
              { value: 'service', count: 2 },
              { value: 'website', count: 1 },
            ],
          },
        });
      });
    });
  });
});

describe('DefaultEntitiesCatalog on a database it writes to', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let catalog: DefaultEntitiesCatalog;
    let uids: Record<string, string>;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      uids = await seedFinalEntities(knex, [
        entity('Location', 'root'),
        {
          entity: entity('Location', 'left'),
          parentRefs: ['location:default/root'],
        },
        {
          entity: entity('Location', 'right'),
          parentRefs: ['location:default/root'],
        },
        {
          entity: entity('Component', 'Petstore'),
          parentRefs: ['location:default/left', 'location:default/right'],
        },
        entity('Group', 'team'),
        entity('System', 'bystander'),
        {
          entity: entity('Component', 'doomed', {}, [
            { type: 'ownedBy', targetRef: 'group:default/team' },
          ]),
          parentRefs: ['location:default/root'],
        },
        entity('Component', 'kept'),
        entity('Component', 'removed'),
      ]);
      await knex('relations').insert({
        originating_entity_id: uids['component:default/doomed'],
        source_entity_ref: 'group:default/team',
        type: 'ownerOf',
        target_entity_ref: 'component:default/doomed',
      });
      catalog = DefaultEntitiesCatalog.create({ knex });
    });

    describe('getEntityAncestry', () => {
      it('walks up the entities that emitted an entity, one generation at a time', async () => {
        const ancestry = await catalog.getEntityAncestry(
          'component:default/petstore',
        );
        expect(ancestry.rootEntityRef).toBe('component:default/Petstore');
        expect(
          ancestry.items.map(item => [
            item.entity.metadata.name,
            item.parentEntityRefs,
          ]),
        ).toEqual([
          ['Petstore', ['location:default/left', 'location:default/right']],
          ['left', ['location:default/root']],
          ['right', ['location:default/root']],
          ['root', []],
        ]);
      });

      it('throws a not found error for an unknown ref', async () => {
        await expect(
          catalog.getEntityAncestry('component:default/nothing'),
        ).rejects.toThrow(
          "No entity 'component:default/nothing' found; check the kind, namespace and name, or wait for the catalog to process it.",
        );
      });
    });

    describe('removeEntityByUid', () => {
      async function readState(refs: string[]) {
        const rows: Array<{
          entity_ref: string;
          result_hash: string;
          next_stitch_at: unknown;
        }> = await knex('refresh_state AS r')
          .leftJoin('stitch_queue AS q', 'q.entity_id', 'r.entity_id')
          .select('r.entity_ref', 'r.result_hash', 'q.next_stitch_at')
          .whereIn('r.entity_ref', refs);
        return Object.fromEntries(
          rows.map(row => [
            row.entity_ref,
            {
              resultHash: row.result_hash,
              marked: row.next_stitch_at !== null,
            },
          ]),
        );
      }

      it('deletes the entity, marks its relation peers for stitching and has its parents reprocessed', async () => {
        const doomed = uids['component:default/doomed'];
        await catalog.removeEntityByUid(doomed);

        expect(
          await readState([
            'component:default/doomed',
            'group:default/team',
            'location:default/root',
            'system:default/bystander',
          ]),
        ).toEqual({
          'group:default/team': {
            resultHash: `result-${uids['group:default/team']}`,
            marked: true,
          },
          'location:default/root': {
            resultHash: 'child-was-deleted',
            marked: false,
          },
          'system:default/bystander': {
            resultHash: `result-${uids['system:default/bystander']}`,
            marked: false,
          },
        });
        expect(
          await catalog.getEntityByRef('component:default/doomed'),
        ).toBeUndefined();
        expect(
          await knex('relations').where('originating_entity_id', doomed),
        ).toEqual([]);
        expect(await knex('search').where('entity_id', doomed)).toEqual([]);
      });

      it('does nothing for an unknown uid', async () => {
        const before = await knex('refresh_state').count({ count: '*' });
        await catalog.removeEntityByUid('no-such-uid');
        expect(await knex('refresh_state').count({ count: '*' })).toEqual(
          before,
        );
      });
    });

    describe('removal', () => {
      it('sees a removal in the next listing', async () => {
        const request = {
          limit: 10,
          filter: [[{ key: 'metadata.name', values: ['kept', 'removed'] }]],
        };
        const first = await catalog.listEntities(request);
        expect(first.entities).toHaveLength(2);
        await catalog.removeEntityByUid(uids['component:default/removed']);
        const after = await catalog.listEntities(request);
        expect(refs(after.entities)).toEqual(['Component:default/kept']);
      });
    });
  });
});
