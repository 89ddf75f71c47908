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
    let catalog: DefaultEntitiesCatalog;

    beforeAll(async () => {
      const knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      await seedFinalEntities(knex, entities);
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
