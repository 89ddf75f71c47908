import { stringifyEntityRef } from './stringifyEntityRef';

describe('stringifyEntityRef', () => {
  it('writes the ref of an entity with kind and namespace lowercased and the name as it is', () => {
    expect(
      stringifyEntityRef({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'PetStore', namespace: 'Ops' },
      }),
    ).toBe('component:ops/PetStore');
  });

  it('uses the default namespace for an entity without one', () => {
    expect(
      stringifyEntityRef({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'jdoe' },
      }),
    ).toBe('user:default/jdoe');
  });

  it('writes the ref of parts, with or without a namespace', () => {
    expect(stringifyEntityRef({ kind: 'API', name: 'petstore' })).toBe(
      'api:default/petstore',
    );
    expect(
      stringifyEntityRef({ kind: 'group', namespace: 'org', name: 'team-a' }),
    ).toBe('group:org/team-a');
  });
});
