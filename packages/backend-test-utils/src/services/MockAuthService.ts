import type {
  AuthService,
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstagePrincipalTypes,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  JsonObject,
} from '@plinth/backend-plugin-api';
import {
  AuthenticationError,
  NotAllowedError,
  quoteList,
} from '@plinth/errors';
import type { Request, Response } from 'express';
import {
  mockCredentials,
  mockInvalidToken,
  mockTokenPrefix,
} from './mockCredentials';

interface MockClaims {
  sub?: string;
  target?: string;
  obo?: BackstageUserPrincipal;
}

/**
 * An {@link @plinth/backend-plugin-api#AuthService} for tests that
 * understands the tokens of {@link mockCredentials}: no keys, no expiry.
 *
 * @public
 */
export class MockAuthService implements AuthService {
  readonly #pluginId: string;

  /** An auth service for the plugin `pluginId`. */
  constructor(options: { pluginId: string }) {
    this.#pluginId = options.pluginId;
  }

  async authenticate(
    token: string,
    options?: { allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials> {
    if (token === mockInvalidToken) {
      throw new AuthenticationError('Invalid mock token.');
    }
    const [prefix, claims] = parseMockToken(token);
    switch (prefix) {
      case mockTokenPrefix.user:
        return mockCredentials.user(claims.sub);
      case mockTokenPrefix.limitedUser:
        if (!options?.allowLimitedAccess) {
          throw new AuthenticationError(
            'A limited user token is only accepted where limited access is allowed.',
          );
        }
        return mockCredentials.user(claims.sub);
      case mockTokenPrefix.service:
        if (claims.target && claims.target !== this.#pluginId) {
          throw new AuthenticationError(
            `The mock service token is meant for plugin '${claims.target}', not '${this.#pluginId}'.`,
          );
        }
        if (claims.obo) {
          // As the real auth service does: the calling service is the actor.
          const user = mockCredentials.user(claims.obo.userEntityRef);
          const actor = mockCredentials.service(claims.sub).principal;
          return { ...user, principal: { ...user.principal, actor } };
        }
        return mockCredentials.service(claims.sub);
      default:
        throw new AuthenticationError(
          `Unknown mock token '${token}'; create tokens with mockCredentials.`,
        );
    }
  }

  isPrincipal<TType extends keyof BackstagePrincipalTypes>(
    credentials: BackstageCredentials,
    type: TType,
  ): credentials is BackstageCredentials<BackstagePrincipalTypes[TType]> {
    const principal = credentials.principal as { type?: string };
    return type === 'unknown' || principal.type === type;
  }

  async getNoneCredentials(): Promise<
    BackstageCredentials<BackstageNonePrincipal>
  > {
    return mockCredentials.none();
  }

  async getOwnServiceCredentials(): Promise<
    BackstageCredentials<BackstageServicePrincipal>
  > {
    return mockCredentials.service(`plugin:${this.#pluginId}`);
  }

  async getPluginRequestToken(options: {
    onBehalfOf: BackstageCredentials;
    targetPluginId: string;
  }): Promise<{ token: string }> {
    const principal = options.onBehalfOf.principal as { type?: string };
    if (principal.type === 'none') {
      throw new NotAllowedError(
        'Cannot make a plugin request token on behalf of no one; pass user or service credentials.',
      );
    }
    return {
      token: mockCredentials.service.token({
        subject: `plugin:${this.#pluginId}`,
        targetPluginId: options.targetPluginId,
        ...(principal.type === 'user'
          ? { onBehalfOf: options.onBehalfOf }
          : {}),
      }),
    };
  }

  async getLimitedUserToken(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<{ token: string; expiresAt: Date }> {
    return {
      token: mockCredentials.limitedUser.token(
        credentials.principal.userEntityRef,
      ),
      expiresAt: new Date(Date.now() + 3600_000),
    };
  }

  async listPublicServiceKeys(): Promise<{ keys: JsonObject[] }> {
    return { keys: [] };
  }
}

function parseMockToken(token: string): [string, MockClaims] {
  const colon = token.indexOf(':');
  if (colon < 0) {
    return [token, {}];
  }
  try {
    return [
      token.slice(0, colon),
      JSON.parse(token.slice(colon + 1)) as MockClaims,
    ];
  } catch {
    throw new AuthenticationError(
      `Malformed mock token '${token}'; create tokens with mockCredentials.`,
    );
  }
}

const cookieName = 'plinth-mock-auth';

/**
 * An {@link @plinth/backend-plugin-api#HttpAuthService} for tests: reads
 * {@link mockCredentials} tokens from the `Authorization` header and
 * treats requests without one as `defaultCredentials`.
 *
 * @public
 */
export class MockHttpAuthService implements HttpAuthService {
  readonly #auth: AuthService;
  readonly #defaultCredentials: BackstageCredentials;

  /**
   * `defaultCredentials` apply to requests without a token; pass
   * `mockCredentials.none()` to test that a route rejects them.
   */
  constructor(options: {
    auth: AuthService;
    defaultCredentials?: BackstageCredentials;
  }) {
    this.#auth = options.auth;
    this.#defaultCredentials =
      options.defaultCredentials ?? mockCredentials.user();
  }

  async credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: Request,
    options?: { allow?: TAllowed[]; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>> {
    const credentials = await this.#read(req, options?.allowLimitedAccess);
    const type = (credentials.principal as { type: string }).type;
    const allow = options?.allow as string[] | undefined;
    if (allow && !allow.includes(type)) {
      if (type === 'none') {
        throw new AuthenticationError(
          "Missing credentials; send 'Authorization: Bearer <token>'.",
        );
      }
      throw new NotAllowedError(
        `This endpoint does not accept ${type} credentials; it accepts ${quoteList(allow)}.`,
      );
    }
    return credentials as BackstageCredentials<
      BackstagePrincipalTypes[TAllowed]
    >;
  }

  async issueUserCookie(
    res: Response,
    options?: { credentials?: BackstageCredentials },
  ): Promise<{ expiresAt: Date }> {
    const credentials =
      options?.credentials ?? (await this.credentials(res.req));
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user') {
      throw new NotAllowedError('Only users can have a cookie.');
    }
    const expiresAt = new Date(Date.now() + 3600_000);
    res.cookie(
      cookieName,
      mockCredentials.limitedUser.token(principal.userEntityRef),
      {
        httpOnly: true,
        expires: expiresAt,
      },
    );
    return { expiresAt };
  }

  async #read(
    req: Request,
    allowLimitedAccess?: boolean,
  ): Promise<BackstageCredentials> {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) {
        throw new AuthenticationError(
          "Malformed Authorization header; use 'Bearer <token>'.",
        );
      }
      return this.#auth.authenticate(match[1], { allowLimitedAccess });
    }
    const cookie = allowLimitedAccess ? readCookie(req, cookieName) : undefined;
    if (cookie?.startsWith(mockTokenPrefix.limitedUser)) {
      return this.#auth.authenticate(cookie, { allowLimitedAccess });
    }
    return this.#defaultCredentials;
  }
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      return decodeURIComponent(value.join('='));
    }
  }
  return undefined;
}
