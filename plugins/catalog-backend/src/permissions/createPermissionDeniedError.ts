import type { BackstageCredentials } from '@plinth/backend-plugin-api';
import { NotAllowedError, quoteList } from '@plinth/errors';
import type { Permission } from '@plinth/plugin-permission-common';

/**
 * The 403 for a denied permission, naming it and why it was denied. A
 * service principal whose access restrictions leave the permission out
 * (a scoped API token, a static token with restrictions) is told which
 * part of its scope is missing, since no policy was asked; anyone else is
 * told the policy denied it.
 *
 * @example
 * ```ts
 * throw createPermissionDeniedError({ permission: catalogEntityDeletePermission, credentials });
 * // Token 'external:ci' may not use 'catalog.entity.delete': its scope allows only action 'read'. ...
 * ```
 * @internal
 */
export function createPermissionDeniedError(options: {
  permission: Permission;
  credentials: BackstageCredentials;
  /** What the permission was asked for, such as `entity 'component:default/a'`. */
  target?: string;
}): NotAllowedError {
  const { permission, credentials, target } = options;
  const on = target ? ` on ${target}` : '';
  const principal = credentials.principal as {
    type?: string;
    subject?: string;
    userEntityRef?: string;
    accessRestrictions?: {
      permissionNames?: string[];
      permissionAttributes?: { action?: string[] };
    };
  };
  if (principal.type === 'service') {
    const scope = describeMissingScope(permission, principal.accessRestrictions);
    if (scope) {
      return new NotAllowedError(
        `Token '${principal.subject}' may not use '${permission.name}'${on}: ${scope}. Use a token whose scope includes it.`,
      );
    }
  }
  const who =
    principal.type === 'user'
      ? `'${principal.userEntityRef}'`
      : principal.type === 'service'
        ? `service '${principal.subject}'`
        : 'an anonymous caller';
  return new NotAllowedError(
    `Permission '${permission.name}' was denied to ${who}${on} by the permission policy. Ask an administrator of the permission policy for access.`,
  );
}

/**
 * Which part of a service principal's scope leaves the permission out,
 * in Backstage's order of checks: permission names, then actions.
 */
function describeMissingScope(
  permission: Permission,
  restrictions:
    | {
        permissionNames?: string[];
        permissionAttributes?: { action?: string[] };
      }
    | undefined,
): string | undefined {
  const names = restrictions?.permissionNames;
  if (names && !names.includes(permission.name)) {
    return `its scope allows only ${names.length === 1 ? 'permission' : 'permissions'} ${quoteList(names, 'and')}`;
  }
  const actions = restrictions?.permissionAttributes?.action;
  const action = permission.attributes.action;
  if (actions && (!action || !actions.includes(action))) {
    const allowed = `its scope allows only ${actions.length === 1 ? 'action' : 'actions'} ${quoteList(actions, 'and')}`;
    return action ? allowed : `${allowed}, and '${permission.name}' has no action`;
  }
  return undefined;
}
