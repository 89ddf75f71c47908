import { createEntityProjector } from './createEntityProjector';

const entity = JSON.stringify({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'petstore',
    annotations: {
      'backstage.io/orphan': 'true',
      'backstage.io/orphan.reason': 'gone',
    },
    tags: ['java'],
  },
  spec: { type: 'service', owner: 'team-a', nested: { deep: null } },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
});

function project(fields: string[]) {
  return JSON.parse(createEntityProjector(fields)(entity)) as unknown;
}

describe('createEntityProjector', () => {
  it('keeps the selected paths with their subtrees and drops the rest', () => {
    expect(project(['kind', 'metadata.name', 'spec'])).toEqual({
      kind: 'Component',
      metadata: { name: 'petstore' },
      spec: { type: 'service', owner: 'team-a', nested: { deep: null } },
    });
  });

  it('selects keys that contain dots, taking the shortest key that exists at each level', () => {
    expect(
      project([
        'metadata.annotations.backstage.io/orphan',
        'metadata.annotations.backstage.io/orphan.reason',
      ]),
    ).toEqual({
      metadata: {
        annotations: {
          'backstage.io/orphan': 'true',
          'backstage.io/orphan.reason': 'gone',
        },
      },
    });
  });

  it('adds nothing for paths the entity lacks or that lead into arrays and values', () => {
    expect(
      project([
        'spec.lifecycle',
        'relations.type',
        'kind.name',
        'metadata.tags',
      ]),
    ).toEqual({ metadata: { tags: ['java'] } });
  });

  it('keeps null values that are present', () => {
    expect(project(['spec.nested.deep'])).toEqual({
      spec: { nested: { deep: null } },
    });
  });

  it('merges a whole subtree with paths selected inside it', () => {
    expect(project(['metadata.name', 'metadata'])).toEqual({
      metadata: JSON.parse(entity).metadata,
    });
    expect(project(['spec', 'spec.type'])).toEqual({
      spec: { type: 'service', owner: 'team-a', nested: { deep: null } },
    });
  });

  it('copies a stored __proto__ key as a plain key, never into a prototype', () => {
    const stored =
      '{"kind":"Component","metadata":{"name":"a","__proto__":{"polluted":{"x":1}}}}';
    const project = createEntityProjector(['metadata.__proto__.polluted']);
    expect(project(stored)).toBe(
      '{"metadata":{"__proto__":{"polluted":{"x":1}}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
