import { AuthenticationError, ServiceUnavailableError } from '@plinth/errors';
import { createServiceFactory } from '../createServiceFactory';
import { createServiceRef } from '../createServiceRef';
import type { BackstageServicePrincipal } from './AuthService';

/**
 * What an API token may do. Each field narrows the token further; a token
 * without scopes may call every plugin with every permission, as a static
 * token without `accessRestrictions` may.
 *
 * @alpha
 */
export interface ApiTokenScopes {
  /** The plugins the token may call; all when absent. */
  pluginIds?: string[];
  /** The permissions the token may be allowed; all when absent. */
  permissionNames?: string[];
  /**
   * Only permissions whose `attributes.action` is `read` are allowed, so
   * every write route of a plugin that checks permissions refuses it.
   * @defaultValue false
   */
  readOnly?: boolean;
}

/**
 * An API token as it is stored and listed: everything but its secret,
 * which exists only in the answer to {@link ApiTokensService.create}.
 * Times are ISO 8601 strings.
 *
 * @alpha
 */
export interface ApiToken {
  /** Unique among active tokens; the principal is `external:api-token:<name>`. */
  name: string;
  scopes: ApiTokenScopes;
  /** The user entity ref or service subject that created the token. */
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
  revokedBy?: string;
  /** When a plugin last accepted the token, to within a few seconds. */
  lastUsedAt?: string;
}

/**
 * What {@link ApiTokensService.create} needs.
 *
 * @alpha
 */
export interface ApiTokenCreateRequest {
  name: string;
  scopes?: ApiTokenScopes;
  /** @defaultValue now plus the longest lifetime the backend allows */
  expiresAt?: Date;
  /** Who asks, recorded as `createdBy`. */
  createdBy: string;
}

/**
 * Named, scoped, expiring and revocable tokens for callers outside the
 * backend, such as CI jobs, stored as hashes only. Root-scoped, so every
 * plugin's auth service verifies the same tokens.
 *
 * @alpha
 */
export interface ApiTokensService {
  /**
   * Creates a token and returns its secret, the only time it is known.
   * @throws `InputError` for an invalid name, scope or expiry;
   *   `ConflictError` when an active token has the name.
   */
  create(
    request: ApiTokenCreateRequest,
  ): Promise<{ token: ApiToken; secret: string }>;
  /** Every token, revoked and expired ones included, by name. */
  list(): Promise<ApiToken[]>;
  /** @throws `NotFoundError` when no token has the name. */
  get(name: string): Promise<ApiToken>;
  /**
   * Revokes a token; revoking a revoked token changes nothing.
   * @throws `NotFoundError` when no token has the name.
   */
  revoke(name: string, options: { revokedBy: string }): Promise<ApiToken>;
  /**
   * Checks a presented secret for plugin `pluginId` and records the use.
   * @throws `AuthenticationError` for an unknown, expired or revoked
   *   token; `NotAllowedError` when its scopes leave the plugin out.
   */
  authenticate(
    secret: string,
    options: { pluginId: string },
  ): Promise<BackstageServicePrincipal>;
  /** Whether `token` looks like an API token, by its prefix. */
  isApiToken(token: string): boolean;
}

/**
 * The backend's API tokens. `createBackend()` and `startTestBackend`
 * provide them with `apiTokensServiceFactory` of
 * `@plinth/backend-defaults/apiTokens`; the ref's own default, used by a
 * runtime without that factory (Backstage's `createBackend()`), keeps no
 * tokens, so that the permission plugin and the auth service still start
 * there and every token call says what to add.
 *
 * @alpha
 */
export const apiTokensServiceRef = createServiceRef<ApiTokensService>({
  id: 'alpha.core.apiTokens',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => new ApiTokensUnavailable(),
    }),
});

const unavailable =
  "API tokens are not available in this backend: no factory provides 'alpha.core.apiTokens'. Add apiTokensServiceFactory of '@plinth/backend-defaults/apiTokens' with backend.add().";

/** What a backend without a token store answers: no token exists. */
class ApiTokensUnavailable implements ApiTokensService {
  async create(): Promise<never> {
    throw new ServiceUnavailableError(unavailable);
  }
  async list(): Promise<never> {
    throw new ServiceUnavailableError(unavailable);
  }
  async get(): Promise<never> {
    throw new ServiceUnavailableError(unavailable);
  }
  async revoke(): Promise<never> {
    throw new ServiceUnavailableError(unavailable);
  }
  async authenticate(): Promise<never> {
    throw new AuthenticationError(unavailable);
  }
  // No token is one of ours, so the auth service tells the caller about
  // static and signed tokens instead.
  isApiToken(): boolean {
    return false;
  }
}
