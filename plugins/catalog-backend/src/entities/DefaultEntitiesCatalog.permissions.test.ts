import { TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import {
  catalogConditions,
  catalogPermissionRules,
} from '@plinth/plugin-catalog-node/alpha';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  type PermissionCondition,
  type PermissionCriteria,
} from '@plinth/plugin-permission-common';
import { createConditionTransformer } from '@plinth/plugin-permission-node';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { DefaultEntitiesCatalog } from './DefaultEntitiesCatalog';
import type { EntityPermissionFilter } from './EntitiesCatalog';
import { seedFinalEntities } from './seedFinalEntities.fixture';
import type { Knex } from 'knex';
import { stringifyEntityRef } from '@plinth/catalog-model';

/*
 * Every built-in rule, and the criteria that combine them, give the same
 * entities in SQL (toQuery, through the search index) as in memory
 * (apply), on every database.
 */

const databases = TestDatabases.create();
const rules = Object.values(catalogPermissionRules);
const transform = createConditionTransformer(rules);

function entity(
  kind: string,
  name: string,
  metadata: Partial<Entity['metadata']>,
  spec: Entity['spec'],
  relations: Entity['relations'] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, ...metadata },
    spec,
    relations,
  };
}

const entities = [
  entity(
    'Component',
    'cart',
    {
      annotations: { 'backstage.io/source-location': 'url:https://x/cart' },
      labels: { tier: 'Gold' },
      tags: ['java', 'web'],
    },
    { type: 'service', lifecycle: 'production', owner: 'team-a' },
    [
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
      { type: 'partOf', targetRef: 'system:default/store' },
    ],
  ),
  entity(
    'API',
    'cart-api',
    { labels: { tier: 'silver' }, tags: ['rest'] },
    { type: 'openapi', lifecycle: 'experimental', owner: 'user:default/jane' },
    [{ type: 'ownedBy', targetRef: 'user:default/jane' }],
  ),
  entity(
    'Component',
    'ledger',
    { annotations: { 'example.com/audit': 'yes' } },
    { type: 'service', lifecycle: 'production' },
    [{ type: 'partOf', targetRef: 'system:default/finance' }],
  ),
  entity('Group', 'team-a', {}, { type: 'team' }),
];

const c = catalogConditions;
const cases: Array<[string, PermissionCriteria<PermissionCondition>]> = [
  ['IS_ENTITY_KIND', c.isEntityKind({ kinds: ['component', 'Group'] })],
  [
    'IS_ENTITY_OWNER',
    c.isEntityOwner({ claims: ['Group:default/Team-A', 'user:default/jane'] }),
  ],
  [
    'HAS_ANNOTATION without value',
    c.hasAnnotation({ annotation: 'backstage.io/source-location' }),
  ],
  [
    'HAS_ANNOTATION with value',
    c.hasAnnotation({ annotation: 'example.com/audit', value: 'YES' }),
  ],
  ['HAS_LABEL without value', c.hasLabel({ label: 'tier' })],
  ['HAS_LABEL with value', c.hasLabel({ label: 'tier', value: 'gold' })],
  [
    'HAS_METADATA with an array value',
    c.hasMetadata({ key: 'tags', value: 'java' }),
  ],
  ['HAS_METADATA for an array item', c.hasMetadata({ key: 'tags.rest' })],
  ['HAS_SPEC with value', c.hasSpec({ key: 'lifecycle', value: 'production' })],
  ['HAS_SPEC without value', c.hasSpec({ key: 'owner' })],
  ['HAS_RELATION without target', c.hasRelation({ relation: 'partOf' })],
  [
    'HAS_RELATION with target',
    c.hasRelation({ relation: 'partOf', targetRef: 'system:default/store' }),
  ],
  [
    'allOf',
    {
      allOf: [
        c.isEntityKind({ kinds: ['Component'] }),
        c.hasSpec({ key: 'lifecycle', value: 'production' }),
      ],
    },
  ],
  [
    'anyOf',
    {
      anyOf: [
        c.isEntityKind({ kinds: ['Group'] }),
        c.hasLabel({ label: 'tier', value: 'silver' }),
      ],
    },
  ],
  ['not', { not: c.isEntityKind({ kinds: ['Component'] }) }],
  [
    'nested',
    {
      allOf: [
        { not: c.hasRelation({ relation: 'ownedBy' }) },
        {
          anyOf: [
            c.isEntityKind({ kinds: ['Group'] }),
            c.hasAnnotation({ annotation: 'example.com/audit' }),
          ],
        },
      ],
    },
  ],
];

function refOf(e: Entity): string {
  return stringifyEntityRef(e).toLowerCase();
}

/** The criteria evaluated in memory with each rule's `apply`. */
function matches(
  e: Entity,
  criteria: PermissionCriteria<PermissionCondition>,
): boolean {
  if (isAndCriteria(criteria)) return criteria.allOf.every(x => matches(e, x));
  if (isOrCriteria(criteria)) return criteria.anyOf.some(x => matches(e, x));
  if (isNotCriteria(criteria)) return !matches(e, criteria.not);
  const rule = rules.find(r => r.name === criteria.rule)!;
  return rule.apply(e, criteria.params as never);
}

describe('DefaultEntitiesCatalog', () => {
  describe.each(databases.eachSupportedId())('permission filters on %s', id => {
    let knex: Knex;
    let catalog: DefaultEntitiesCatalog;
    let uids: Record<string, string>;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      // Each entity emitted by the one before it, for the ancestry.
      uids = await seedFinalEntities(
        knex,
        entities.map((e, i) => ({
          entity: e,
          parentRefs: i === 0 ? undefined : [refOf(entities[i - 1])],
        })),
      );
      catalog = DefaultEntitiesCatalog.create({ knex });
    });

    it.each(cases)(
      'serves in SQL what %s applies to in memory',
      async (_name, criteria) => {
        const expected = entities
          .filter(e => matches(e, criteria))
          .map(e => e.metadata.name)
          .sort();
        const permissionFilter = transform(criteria) as EntityPermissionFilter;
        const page = await catalog.listEntities({
          limit: 100,
          permissionFilter,
        });
        const listed = page.entities
          .map(json => (JSON.parse(json) as Entity).metadata.name)
          .sort();
        const query = await catalog.queryEntities({
          query: { orderFields: [], totalItems: 'include' },
          limit: 100,
          permissionFilter,
        });
        const facets = await catalog.getEntityFacets({
          facets: ['kind'],
          permissionFilter,
        });
        expect({
          listed,
          total: query.totalItems,
          counted: facets.facets.kind.reduce((sum, f) => sum + f.count, 0),
        }).toEqual({
          listed: expected,
          total: expected.length,
          counted: expected.length,
        });
      },
    );

    it.each(cases)(
      'finds one entity by ref, uid, refs or ancestry only when %s applies to it',
      async (_name, criteria) => {
        const expected = entities
          .filter(e => matches(e, criteria))
          .map(e => e.metadata.name);
        const refs = entities.map(refOf);
        const filter = () => transform(criteria) as EntityPermissionFilter;
        const namesOf = (jsons: Array<string | null | undefined>) =>
          jsons.flatMap(json =>
            json ? [(JSON.parse(json) as Entity).metadata.name] : [],
          );
        // Concurrent, so that the by-ref lookups share a batch.
        const byRef = await Promise.all(
          refs.map(ref => catalog.getEntityByRef(ref, filter())),
        );
        const byUid = await Promise.all(
          refs.map(ref => catalog.getEntityByUid(uids[ref], filter())),
        );
        const byRefs = await catalog.getEntitiesByRefs({
          entityRefs: refs,
          permissionFilter: filter(),
        });
        const rootRef = refs[refs.length - 1];
        const ancestry = await catalog
          .getEntityAncestry(rootRef, filter())
          .then(
            answer => answer.items.map(item => item.entity.metadata.name),
            () => [],
          );
        const lastReadable = entities.filter(e => matches(e, criteria)).at(-1);
        expect({
          byRef: namesOf(byRef),
          byUid: namesOf(byUid),
          byRefs: namesOf(byRefs),
          ancestry: [...ancestry].sort(),
        }).toEqual({
          byRef: expected,
          byUid: expected,
          byRefs: expected,
          // The root is read under the filter too: unreadable, none.
          ancestry:
            lastReadable === entities[entities.length - 1]
              ? [...expected].sort()
              : [],
        });
      },
    );

    it('looks up names under equal filters in one query, under different ones apart', async () => {
      const owners = (claims: string[]) =>
        transform(c.isEntityOwner({ claims })) as EntityPermissionFilter;
      const queries: string[] = [];
      const record = (query: { sql: string }) => queries.push(query.sql);
      knex.on('query', record);
      try {
        const found = await Promise.all([
          catalog.getEntityByRef(
            'component:default/cart',
            owners(['group:default/team-a']),
          ),
          catalog.getEntityByRef(
            'api:default/cart-api',
            owners(['group:default/team-a']),
          ),
          catalog.getEntityByRef(
            'api:default/cart-api',
            owners(['user:default/jane']),
          ),
        ]);
        expect(
          found.map(json => json && (JSON.parse(json) as Entity).metadata.name),
        ).toEqual(['cart', undefined, 'cart-api']);
      } finally {
        knex.removeListener('query', record);
      }
      expect(
        queries.filter(sql => sql.includes('final_entities')),
      ).toHaveLength(2);
    });

    it('pages through what a permission filter lets through, in the requested order', async () => {
      const permissionFilter = transform({
        not: c.isEntityKind({ kinds: ['Group'] }),
      }) as EntityPermissionFilter;
      const order = [{ field: 'metadata.name', order: 'desc' as const }];
      const names = (page: { entities: string[] }) =>
        page.entities.map(json => (JSON.parse(json) as Entity).metadata.name);
      const first = await catalog.listEntities({
        limit: 2,
        order,
        permissionFilter,
      });
      expect(names(first)).toEqual(['ledger', 'cart-api']);
      const second = await catalog.listEntities({
        limit: 2,
        order,
        permissionFilter,
        after: first.endPosition,
      });
      expect([names(second), second.endPosition]).toEqual([
        ['cart'],
        undefined,
      ]);
    });

    it('serves nothing for a denial', async () => {
      const nothing = { anyOf: [] } as unknown as EntityPermissionFilter;
      await expect(
        catalog.listEntities({ limit: 10, permissionFilter: nothing }),
      ).resolves.toEqual({ entities: [] });
      await expect(
        catalog.getEntityByRef('component:default/cart', nothing),
      ).resolves.toBeUndefined();
    });
  });
});
