/**
 * The body both servers of `yarn bench:http` send: an entity of the size
 * the catalog answers a by-name request with.
 */
export const probeBody = JSON.stringify({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'probe-service',
    namespace: 'default',
    uid: '7b0c9f8e-0f4e-4b9e-9d0a-3c2f1f6f2a11',
    etag: 'c2b7f1b0a9e84d3f8e6d5c4b3a291807',
    description: 'Answers the HTTP overhead benchmark.',
    annotations: { 'backstage.io/managed-by-location': 'url:https://x/y' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
});
