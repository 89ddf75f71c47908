import { AuthorizeResult, type DefinitivePolicyDecision } from './api';
import type { Permission } from './permission';

/**
 * The part of a service principal's access restrictions that limits
 * permissions, as `BackstagePrincipalAccessRestrictions` of
 * `@plinth/backend-plugin-api` carries it (scoped API tokens become these).
 *
 * @public
 */
export type PermissionAccessRestrictions = {
  /** The permissions the principal may use; all when absent. */
  permissionNames?: string[];
  permissionAttributes?: {
    /** The actions the principal may take; all when absent. */
    action?: Array<'create' | 'read' | 'update' | 'delete'>;
  };
};

/**
 * Backstage's rule for service principals, which no policy is asked
 * about: allowed, unless their access restrictions list permission names
 * that leave this one out, or actions that leave its action out (a
 * permission without an action is then denied). One function, so the
 * permissions service and the permission backend decide alike.
 *
 * @example
 * ```ts
 * decideByAccessRestrictions(catalogEntityDeletePermission, {
 *   permissionAttributes: { action: ['read'] },
 * }); // { result: 'DENY' }
 * ```
 * @public
 */
export function decideByAccessRestrictions(
  permission: Permission,
  restrictions: PermissionAccessRestrictions | undefined,
): DefinitivePolicyDecision {
  const { permissionNames, permissionAttributes } = restrictions ?? {};
  if (permissionNames && !permissionNames.includes(permission.name)) {
    return { result: AuthorizeResult.DENY };
  }
  if (permissionAttributes?.action) {
    const action = permission.attributes?.action;
    if (!action || !permissionAttributes.action.includes(action)) {
      return { result: AuthorizeResult.DENY };
    }
  }
  return { result: AuthorizeResult.ALLOW };
}
