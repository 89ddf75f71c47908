import { mockCredentials } from '@plinth/backend-test-utils';
import {
  catalogEntityDeletePermission,
  catalogLocationAnalyzePermission,
} from '@plinth/plugin-catalog-node/alpha';
import { createPermissionDeniedError } from './createPermissionDeniedError';

describe('createPermissionDeniedError', () => {
  it('names the actions a token is limited to', () => {
    const error = createPermissionDeniedError({
      permission: catalogEntityDeletePermission,
      credentials: mockCredentials.service('external:ci', {
        permissionAttributes: { action: ['read', 'update'] },
      }),
    });
    expect([error.name, error.message]).toEqual([
      'NotAllowedError',
      "Token 'external:ci' may not use 'catalog.entity.delete': its scope allows only actions 'read' and 'update'. Use a token whose scope includes it.",
    ]);
  });

  it('names the permissions a token is limited to', () => {
    const error = createPermissionDeniedError({
      permission: catalogLocationAnalyzePermission,
      credentials: mockCredentials.service('external:ci', {
        permissionNames: ['catalog.location.create'],
      }),
    });
    expect(error.message).toBe(
      "Token 'external:ci' may not use 'catalog.location.analyze': its scope allows only permission 'catalog.location.create'. Use a token whose scope includes it.",
    );
  });

  it('blames the policy for a service without restrictions and for anonymous callers', () => {
    expect(
      createPermissionDeniedError({
        permission: catalogEntityDeletePermission,
        credentials: mockCredentials.service('plugin:scaffolder'),
        target: "entity 'component:default/a'",
      }).message,
    ).toBe(
      "Permission 'catalog.entity.delete' was denied to service 'plugin:scaffolder' on entity 'component:default/a' by the permission policy. Ask an administrator of the permission policy for access.",
    );
    expect(
      createPermissionDeniedError({
        permission: catalogEntityDeletePermission,
        credentials: mockCredentials.none(),
      }).message,
    ).toBe(
      "Permission 'catalog.entity.delete' was denied to an anonymous caller by the permission policy. Ask an administrator of the permission policy for access.",
    );
  });
});
