import type { Entity } from '@plinth/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from './catalogConditions';
import {
  catalogEntityReadPermission,
  catalogPermissions,
} from './catalogPermissions';
import { catalogPermissionRules } from './catalogPermissionRules';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'petstore',
    annotations: { 'backstage.io/source-location': 'url:https://x' },
    labels: { tier: 'Gold' },
    tags: ['java', 'web'],
  },
  spec: { lifecycle: 'production', owner: 'team-a' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/team-a' },
    { type: 'partOf', targetRef: 'system:default/store' },
  ],
};

const {
  isEntityKind,
  isEntityOwner,
  hasAnnotation,
  hasLabel,
  hasMetadata,
  hasSpec,
  hasRelation,
} = catalogPermissionRules;

describe('catalogPermissionRules', () => {
  it.each([
    [
      'IS_ENTITY_KIND',
      isEntityKind.apply(entity, { kinds: ['component'] }),
      true,
    ],
    ['IS_ENTITY_KIND', isEntityKind.apply(entity, { kinds: ['API'] }), false],
    [
      'IS_ENTITY_OWNER',
      isEntityOwner.apply(entity, { claims: ['group:default/Team-A'] }),
      true,
    ],
    [
      'IS_ENTITY_OWNER',
      isEntityOwner.apply(entity, { claims: ['user:default/x'] }),
      false,
    ],
    [
      'HAS_ANNOTATION',
      hasAnnotation.apply(entity, {
        annotation: 'backstage.io/source-location',
      }),
      true,
    ],
    [
      'HAS_ANNOTATION',
      hasAnnotation.apply(entity, {
        annotation: 'backstage.io/source-location',
        value: 'other',
      }),
      false,
    ],
    [
      'HAS_LABEL',
      hasLabel.apply(entity, { label: 'tier', value: 'gold' }),
      true,
    ],
    ['HAS_LABEL', hasLabel.apply(entity, { label: 'team' }), false],
    [
      'HAS_METADATA',
      hasMetadata.apply(entity, { key: 'tags', value: 'java' }),
      true,
    ],
    ['HAS_METADATA', hasMetadata.apply(entity, { key: 'tags.web' }), true],
    ['HAS_METADATA', hasMetadata.apply(entity, { key: 'description' }), false],
    [
      'HAS_SPEC',
      hasSpec.apply(entity, { key: 'lifecycle', value: 'production' }),
      true,
    ],
    [
      'HAS_SPEC',
      hasSpec.apply(entity, { key: 'lifecycle', value: 'experimental' }),
      false,
    ],
    ['HAS_RELATION', hasRelation.apply(entity, { relation: 'partOf' }), true],
    [
      'HAS_RELATION',
      hasRelation.apply(entity, {
        relation: 'partOf',
        targetRef: 'system:default/other',
      }),
      false,
    ],
  ])(
    'applies %s case-insensitively, as the search index compares (%#)',
    (_name, applied, expected) => {
      expect(applied).toBe(expected);
    },
  );

  it('translates each rule into the search filter the catalog runs as SQL', () => {
    expect([
      isEntityKind.toQuery({ kinds: ['API'] }),
      isEntityOwner.toQuery({ claims: ['user:default/a'] }),
      hasAnnotation.toQuery({ annotation: 'a/b' }),
      hasAnnotation.toQuery({ annotation: 'a/b', value: 'v' }),
      hasLabel.toQuery({ label: 'tier', value: 'gold' }),
      hasMetadata.toQuery({ key: 'tags' }),
      hasSpec.toQuery({ key: 'lifecycle', value: 'production' }),
      hasRelation.toQuery({
        relation: 'partOf',
        targetRef: 'system:default/s',
      }),
    ]).toEqual([
      { key: 'kind', values: ['API'] },
      { key: 'relations.ownedBy', values: ['user:default/a'] },
      { key: 'metadata.annotations.a/b' },
      { key: 'metadata.annotations.a/b', values: ['v'] },
      { key: 'metadata.labels.tier', values: ['gold'] },
      { key: 'metadata.tags' },
      { key: 'spec.lifecycle', values: ['production'] },
      { key: 'relations.partOf', values: ['system:default/s'] },
    ]);
  });

  it('builds conditional decisions for the catalog-entity resource type', () => {
    expect(
      createCatalogConditionalDecision(
        catalogEntityReadPermission,
        catalogConditions.isEntityOwner({ claims: ['user:default/a'] }),
      ),
    ).toEqual({
      result: 'CONDITIONAL',
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/a'] },
      },
    });
  });

  it("declares Backstage's permissions and the diagnostics one with their types and actions", () => {
    expect(
      catalogPermissions.map(p => [
        p.name,
        p.type,
        p.attributes.action ?? null,
      ]),
    ).toEqual([
      ['catalog.entity.read', 'resource', 'read'],
      ['catalog.entity.create', 'basic', 'create'],
      ['catalog.entity.delete', 'resource', 'delete'],
      ['catalog.entity.refresh', 'resource', 'update'],
      ['catalog.entity.validate', 'basic', null],
      ['catalog.location.read', 'basic', 'read'],
      ['catalog.location.create', 'basic', 'create'],
      ['catalog.location.delete', 'basic', 'delete'],
      ['catalog.location.analyze', 'basic', null],
      ['catalog.diagnostics.read', 'basic', 'read'],
    ]);
  });
});
