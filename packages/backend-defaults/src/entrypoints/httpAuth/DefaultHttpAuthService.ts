import type {
  AuthService,
  BackstageCredentials,
  BackstagePrincipalTypes,
  DiscoveryService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import {
  AuthenticationError,
  NotAllowedError,
  quoteList,
} from '@plinth/errors';
import type { Request, Response } from 'express';
import { describeDevelopmentTokenHint } from '../auth/DefaultAuthService';

/**
 * The cookie that carries a limited user token. Backstage's name, so a
 * Backstage frontend's cookie flow works unchanged.
 */
const userCookieName = 'backstage-auth';

/**
 * The default {@link @plinth/backend-plugin-api#HttpAuthService} of one
 * plugin: reads bearer tokens (and, where allowed, the user cookie),
 * authenticates them once per request, and sets the user cookie.
 *
 * @public
 */
export class DefaultHttpAuthService implements HttpAuthService {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #pluginId: string;
  /** Authentication per request, when cookies count and when they do not. */
  readonly #withCookie = new WeakMap<Request, Promise<BackstageCredentials>>();
  readonly #withoutCookie = new WeakMap<
    Request,
    Promise<BackstageCredentials>
  >();

  /**
   * Creates the HTTP auth service of one plugin.
   *
   * @example
   * ```ts
   * const httpAuth = DefaultHttpAuthService.create({ auth, discovery, pluginId: 'catalog' });
   * const credentials = await httpAuth.credentials(req, { allow: ['user'] });
   * ```
   */
  static create(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    pluginId: string;
  }): DefaultHttpAuthService {
    return new DefaultHttpAuthService(options);
  }

  private constructor(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    pluginId: string;
  }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#pluginId = options.pluginId;
  }

  /**
   * The request's credentials. A request without a token has none
   * credentials, which only an `allow` list with `'none'` (or no list)
   * accepts.
   *
   * @throws `AuthenticationError` when the token is missing or invalid;
   *   `NotAllowedError` when the principal's type is not in `allow`.
   */
  async credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: Request,
    options?: { allow?: TAllowed[]; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>> {
    const allowLimitedAccess = options?.allowLimitedAccess ?? false;
    const credentials = await this.#authenticate(req, allowLimitedAccess);
    const allow = options?.allow as
      Array<keyof BackstagePrincipalTypes> | undefined;
    const { type } = credentials.principal as { type: string };
    if (
      !allow ||
      allow.includes('unknown') ||
      allow.some(allowed => allowed === type)
    ) {
      return credentials as BackstageCredentials<
        BackstagePrincipalTypes[TAllowed]
      >;
    }
    if (type === 'none') {
      throw new AuthenticationError(
        `Missing credentials for plugin '${this.#pluginId}': the request has no 'Authorization' header${allowLimitedAccess ? ` and no '${userCookieName}' cookie` : ''}; send 'Authorization: Bearer <token>' with a user token, a plugin token or a static token from 'backend.auth.externalAccess'.${describeDevelopmentTokenHint(this.#auth)}`,
      );
    }
    throw new NotAllowedError(
      `This endpoint of plugin '${this.#pluginId}' does not accept '${type}' credentials; it accepts ${quoteList(allow)}.`,
    );
  }

  /**
   * Sets the user cookie: a limited user token, HttpOnly, SameSite=Lax,
   * Secure when the plugin's external URL or the request is https, and
   * scoped to the plugin's external path.
   *
   * @throws `AuthenticationError` or `NotAllowedError` when no credentials
   *   are given and the request has no user token.
   */
  async issueUserCookie(
    res: Response,
    options?: { credentials?: BackstageCredentials },
  ): Promise<{ expiresAt: Date }> {
    const credentials =
      options?.credentials ??
      (await this.credentials(res.req, { allow: ['user'] }));
    if (!this.#auth.isPrincipal(credentials, 'user')) {
      const { type } = credentials.principal as { type: string };
      throw new NotAllowedError(
        `Cannot issue a user cookie in plugin '${this.#pluginId}' for '${type}' credentials; only signed-in users get one.`,
      );
    }
    const { token, expiresAt } =
      await this.#auth.getLimitedUserToken(credentials);
    const externalUrl = new URL(
      await this.#discovery.getExternalBaseUrl(this.#pluginId),
    );
    res.cookie(userCookieName, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: externalUrl.protocol === 'https:' || res.req.secure,
      path: externalUrl.pathname.replace(/\/+$/, '') || '/',
      expires: expiresAt,
    });
    return { expiresAt };
  }

  #authenticate(
    req: Request,
    allowLimitedAccess: boolean,
  ): Promise<BackstageCredentials> {
    const cache = allowLimitedAccess ? this.#withCookie : this.#withoutCookie;
    let pending = cache.get(req);
    if (!pending) {
      pending = this.#readCredentials(req, allowLimitedAccess);
      cache.set(req, pending);
    }
    return pending;
  }

  async #readCredentials(
    req: Request,
    allowLimitedAccess: boolean,
  ): Promise<BackstageCredentials> {
    const token = readRequestToken(req, allowLimitedAccess);
    if (token === undefined) {
      return this.#auth.getNoneCredentials();
    }
    return this.#auth.authenticate(token, { allowLimitedAccess });
  }
}

/**
 * The token a request carries: from `Authorization: Bearer <token>`, or,
 * when `allowCookie` is set and there is no such header, from the user
 * cookie. `undefined` when it carries neither.
 *
 * @throws `AuthenticationError` when the `Authorization` header is not a
 *   bearer token.
 */
function readRequestToken(
  req: Request,
  allowCookie: boolean,
): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
    if (!match) {
      throw new AuthenticationError(
        `Malformed 'Authorization' header: expected 'Bearer <token>' with a token of non-space characters; other schemes, such as Basic, are not supported.`,
      );
    }
    return match[1];
  }
  return allowCookie
    ? readCookie(req.headers.cookie, userCookieName)
    : undefined;
}

function readCookie(header: string | undefined, name: string) {
  for (const pair of header?.split(';') ?? []) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) {
      const value = pair.slice(separator + 1).trim();
      try {
        return decodeURIComponent(value) || undefined;
      } catch {
        // A cookie value that is not URI-encoded is sent as it is.
        return value || undefined;
      }
    }
  }
  return undefined;
}
