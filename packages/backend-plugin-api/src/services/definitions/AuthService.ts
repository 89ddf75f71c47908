import type { Request, Response } from 'express';
import type { JsonObject } from '@plinth/errors';

/**
 * A signed-in user, possibly acting through a service.
 *
 * @public
 */
export interface BackstageUserPrincipal {
  type: 'user';
  /** The user's entity ref, such as `user:default/jane`. */
  userEntityRef: string;
  actor?: BackstageServicePrincipal;
}

/**
 * Limits on what a service principal may do.
 *
 * @public
 */
export interface BackstagePrincipalAccessRestrictions {
  /** The plugins this principal may call; all when absent. */
  pluginIds?: string[];
  permissionNames?: string[];
  permissionAttributes?: {
    action?: Array<'create' | 'read' | 'update' | 'delete'>;
  };
}

/**
 * Another backend plugin or an external caller with a static token.
 *
 * @public
 */
export interface BackstageServicePrincipal {
  type: 'service';
  /** Who the caller is, such as `plugin:catalog` or `external:ci`. */
  subject: string;
  accessRestrictions?: BackstagePrincipalAccessRestrictions;
}

/**
 * An unauthenticated caller.
 *
 * @public
 */
export interface BackstageNonePrincipal {
  type: 'none';
}

/**
 * The principal types, by name, for `allow` lists and `isPrincipal`.
 *
 * @public
 */
export interface BackstagePrincipalTypes {
  user: BackstageUserPrincipal;
  service: BackstageServicePrincipal;
  none: BackstageNonePrincipal;
  unknown: unknown;
}

/**
 * Proof of who made a request, passed on to other services.
 *
 * @public
 */
export interface BackstageCredentials<TPrincipal = unknown> {
  $$type: '@backstage/BackstageCredentials';
  expiresAt?: Date;
  principal: TPrincipal;
}

/**
 * Verifies tokens and issues tokens for calls to other plugins.
 *
 * @public
 */
export interface AuthService {
  /** Verifies a token and returns its credentials; throws `AuthenticationError` when invalid. */
  authenticate(
    token: string,
    options?: { allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials>;
  isPrincipal<TType extends keyof BackstagePrincipalTypes>(
    credentials: BackstageCredentials,
    type: TType,
  ): credentials is BackstageCredentials<BackstagePrincipalTypes[TType]>;
  getNoneCredentials(): Promise<BackstageCredentials<BackstageNonePrincipal>>;
  /** Credentials for this plugin acting on its own behalf. */
  getOwnServiceCredentials(): Promise<
    BackstageCredentials<BackstageServicePrincipal>
  >;
  /** A short-lived token for calling `targetPluginId` on behalf of someone. */
  getPluginRequestToken(options: {
    onBehalfOf: BackstageCredentials;
    targetPluginId: string;
  }): Promise<{ token: string }>;
  getLimitedUserToken(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<{ token: string; expiresAt: Date }>;
  /** The public keys that verify this backend's service tokens, as JWKs. */
  listPublicServiceKeys(): Promise<{ keys: JsonObject[] }>;
}

/**
 * Reads credentials from incoming requests.
 *
 * @public
 */
export interface HttpAuthService {
  /**
   * The request's credentials; throws `AuthenticationError` when missing or
   * invalid and `NotAllowedError` when the principal type is not allowed.
   */
  credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: Request,
    options?: { allow?: TAllowed[]; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>>;
  /** Sets a cookie that authenticates later requests from the same browser. */
  issueUserCookie(
    res: Response,
    options?: { credentials?: BackstageCredentials },
  ): Promise<{ expiresAt: Date }>;
}

/**
 * What is known about a signed-in user.
 *
 * @public
 */
export interface BackstageUserInfo {
  userEntityRef: string;
  /** The user and the groups they belong to, as entity refs. */
  ownershipEntityRefs: string[];
}

/**
 * Looks up details of the user behind credentials.
 *
 * @public
 */
export interface UserInfoService {
  getUserInfo(credentials: BackstageCredentials): Promise<BackstageUserInfo>;
}
