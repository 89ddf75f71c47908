import type { Entity } from '@plinth/catalog-model';
import { buildEntitySearch } from './buildEntitySearch';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'Petstore',
    uid: 'u-1',
    etag: 'e-1',
    tags: ['Java', 'web'],
    annotations: { 'Example.com/Team': 'Blue' },
  },
  spec: { type: 'service', replicas: 3, public: true, owner: null },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/team-a' },
    { type: 'ownedBy', targetRef: 'group:default/team-b' },
  ],
  status: { items: [{ type: 't', level: 'error', message: 'm' }] },
};

describe('buildEntitySearch', () => {
  it('flattens an entity into lowercased keys with original and lowercased values', () => {
    expect(buildEntitySearch(entity)).toEqual([
      {
        key: 'apiversion',
        original_value: 'backstage.io/v1alpha1',
        value: 'backstage.io/v1alpha1',
      },
      { key: 'kind', original_value: 'Component', value: 'component' },
      { key: 'metadata.tags', original_value: 'Java', value: 'java' },
      { key: 'metadata.tags.java', original_value: 'true', value: 'true' },
      { key: 'metadata.tags', original_value: 'web', value: 'web' },
      { key: 'metadata.tags.web', original_value: 'true', value: 'true' },
      {
        key: 'metadata.annotations.example.com/team',
        original_value: 'Blue',
        value: 'blue',
      },
      { key: 'spec.type', original_value: 'service', value: 'service' },
      { key: 'spec.replicas', original_value: '3', value: '3' },
      { key: 'spec.public', original_value: 'true', value: 'true' },
      { key: 'spec.owner', original_value: null, value: null },
      { key: 'metadata.name', original_value: 'Petstore', value: 'petstore' },
      {
        key: 'metadata.namespace',
        original_value: 'default',
        value: 'default',
      },
      { key: 'metadata.uid', original_value: 'u-1', value: 'u-1' },
      {
        key: 'relations.ownedby',
        original_value: 'group:default/team-a',
        value: 'group:default/team-a',
      },
      {
        key: 'relations.ownedby',
        original_value: 'group:default/team-b',
        value: 'group:default/team-b',
      },
    ]);
  });

  it('keeps a key whose value is too long, without the value, and drops a key that is too long', () => {
    const rows = buildEntitySearch({
      ...entity,
      relations: [],
      spec: {
        long: 'x'.repeat(201),
        ['k'.repeat(200)]: 'v',
        fits: 'y'.repeat(200),
      },
    });

    expect(rows.filter(r => r.key.startsWith('spec.'))).toEqual([
      { key: 'spec.long', original_value: null, value: null },
      {
        key: 'spec.fits',
        original_value: 'y'.repeat(200),
        value: 'y'.repeat(200),
      },
    ]);
  });

  it('stores identical rows once', () => {
    const rows = buildEntitySearch({
      ...entity,
      metadata: { name: 'a', tags: ['x', 'x'] },
      relations: [],
    });

    expect(rows.filter(r => r.key.startsWith('metadata.tags'))).toEqual([
      { key: 'metadata.tags', original_value: 'x', value: 'x' },
      { key: 'metadata.tags.x', original_value: 'true', value: 'true' },
    ]);
  });

  it('keeps the namespace of an entity that has one', () => {
    const rows = buildEntitySearch({
      ...entity,
      metadata: { name: 'a', namespace: 'Ops' },
    });

    expect(rows.filter(r => r.key === 'metadata.namespace')).toEqual([
      { key: 'metadata.namespace', original_value: 'Ops', value: 'ops' },
    ]);
  });
});
