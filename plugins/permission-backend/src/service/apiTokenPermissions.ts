import { createPermission } from '@plinth/plugin-permission-common';

/**
 * Whether a caller may create API tokens with `POST /api/permission/tokens`.
 * A token may be as broad as the backend, so grant this to admins only.
 *
 * @public
 */
export const apiTokenCreatePermission = createPermission({
  name: 'permission.token.create',
  attributes: { action: 'create' },
});

/**
 * Whether a caller may list API tokens and read one, never their secrets.
 *
 * @public
 */
export const apiTokenReadPermission = createPermission({
  name: 'permission.token.read',
  attributes: { action: 'read' },
});

/**
 * Whether a caller may revoke API tokens.
 *
 * @public
 */
export const apiTokenDeletePermission = createPermission({
  name: 'permission.token.delete',
  attributes: { action: 'delete' },
});

/**
 * Every permission of the API token admin API, for
 * `permissionsRegistry.addPermissions()` so that policies can list them.
 *
 * @public
 */
export const apiTokenPermissions = [
  apiTokenCreatePermission,
  apiTokenReadPermission,
  apiTokenDeletePermission,
];
