import { getCompoundEntityRef } from './getCompoundEntityRef';

describe('getCompoundEntityRef', () => {
  it('returns the kind, namespace and name of an entity', () => {
    expect(
      getCompoundEntityRef({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'petstore', namespace: 'ops' },
      }),
    ).toEqual({ kind: 'Component', namespace: 'ops', name: 'petstore' });
  });

  it('fills in the default namespace', () => {
    expect(
      getCompoundEntityRef({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-a' },
      }),
    ).toEqual({ kind: 'Group', namespace: 'default', name: 'team-a' });
  });
});
