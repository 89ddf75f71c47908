import type { Entity } from '@plinth/catalog-model';
import type { StitchSource } from '../database/stitchedEntities';
import { stitchEntity } from './DefaultStitcher';

function source(overrides: Partial<StitchSource> = {}): StitchSource {
  const processed: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'a',
      namespace: 'default',
      etag: 'from-the-source',
      annotations: {
        'backstage.io/managed-by-location': 'url:https://example.com/a.yaml',
      },
    },
    spec: { type: 'service' },
  };
  return {
    entityId: 'id-1',
    entityRef: 'component:default/a',
    processedEntity: JSON.stringify(processed),
    errors: null,
    referenced: true,
    previousHash: null,
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
    ...overrides,
  };
}

function served(s: StitchSource): Entity {
  return JSON.parse(stitchEntity(s)!.finalEntity) as Entity;
}

describe('stitchEntity', () => {
  it('adds relations, uid and an etag that is the hash of the served form', () => {
    const stitched = stitchEntity(source())!;
    const entity = JSON.parse(stitched.finalEntity) as Entity;

    expect(entity.relations).toEqual([
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
    ]);
    expect(entity.metadata.uid).toBe('id-1');
    expect(entity.metadata.etag).toBe(stitched.hash);
    expect(entity.status).toBeUndefined();
    expect(stitched.searchRows).toContainEqual({
      key: 'relations.ownedby',
      original_value: 'group:default/team-a',
      value: 'group:default/team-a',
    });
  });

  it('gives a new hash when only the relations change', () => {
    const first = stitchEntity(source())!;
    const second = stitchEntity(source({ relations: [] }))!;

    expect(second.hash).not.toBe(first.hash);
  });

  it('turns processing errors and their causes into status items', () => {
    const errors = [
      {
        name: 'InputError',
        message: "Processor 'P' failed to read location 'url:x'",
        cause: { name: 'InputError', message: 'Not YAML' },
      },
    ];

    expect(served(source({ errors: JSON.stringify(errors) })).status).toEqual({
      items: [
        {
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message:
            "InputError: Processor 'P' failed to read location 'url:x'; caused by InputError: Not YAML",
          error: errors[0],
        },
      ],
    });
  });

  it('marks an entity nothing references as an orphan', () => {
    expect(served(source({ referenced: false })).metadata.annotations).toEqual({
      'backstage.io/managed-by-location': 'url:https://example.com/a.yaml',
      'backstage.io/orphan': 'true',
    });
  });

  it('replaces view and edit links that would run script', () => {
    const entity = JSON.parse(source().processedEntity!) as Entity;
    entity.metadata.annotations = {
      'backstage.io/view-url': '\u0001 JaVa\tScRiPt:alert(1)',
      'backstage.io/edit-url': 'https://example.com/edit',
    };

    expect(
      served(source({ processedEntity: JSON.stringify(entity) })).metadata
        .annotations,
    ).toEqual({
      'backstage.io/view-url':
        'https://backstage.io/annotation-rejected-for-security-reasons',
      'backstage.io/edit-url': 'https://example.com/edit',
    });
  });

  it('serves nothing for an entity never processed', () => {
    expect(stitchEntity(source({ processedEntity: null }))).toBeUndefined();
  });
});
