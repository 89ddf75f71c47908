import type {
  BackstageCredentials,
  BackstageUserInfo,
  BackstageUserPrincipal,
} from '@plinth/backend-plugin-api';
import type {
  Permission,
  PolicyDecision,
} from '@plinth/plugin-permission-common';

/**
 * What a policy is asked: may the caller use this permission?
 *
 * @public
 */
export type PolicyQuery = {
  permission: Permission;
};

/**
 * The signed-in user a policy decides for, when the caller is a user.
 *
 * @public
 */
export type PolicyQueryUser = {
  /** The user's credentials, as the permission backend received them. */
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  /** The user's entity ref and the refs they own through (their groups). */
  info: BackstageUserInfo;
  /**
   * A token on behalf of the user, for a policy that calls other
   * plugins as the user (the catalog, say).
   */
  token: string;
  /** Seconds until `token` expires, when known. */
  expiresInSeconds?: number;
};

/**
 * Decides permission requests: ALLOW, DENY, or CONDITIONAL with
 * conditions the plugin owning the resource evaluates. Install one with
 * `policyExtensionPoint` from `@plinth/plugin-permission-node/alpha`.
 *
 * @example
 * ```ts
 * class AllowReadsPolicy implements PermissionPolicy {
 *   async handle(request: PolicyQuery): Promise<PolicyDecision> {
 *     return request.permission.attributes.action === 'read'
 *       ? { result: AuthorizeResult.ALLOW }
 *       : { result: AuthorizeResult.DENY };
 *   }
 * }
 * ```
 * @public
 */
export interface PermissionPolicy {
  /**
   * Decides one request; `user` is absent for a caller that is not a
   * user (a request without credentials).
   */
  handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision>;
}
