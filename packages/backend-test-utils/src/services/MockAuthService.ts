import type {
  AuthService,
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstagePrincipalTypes,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  JsonObject,
} from '@plinth/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@plinth/errors';
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
        return claims.obo
          ? mockCredentials.user(claims.obo.userEntityRef)
          : mockCredentials.service(claims.sub);
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
