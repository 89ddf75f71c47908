import type {
  AuthService,
  BackstageCredentials,
  BackstagePrincipalTypes,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@plinth/errors';
import type { Request, Response } from 'express';
import { mockCredentials, mockTokenPrefix } from './mockCredentials';

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
        `This endpoint does not accept ${type} credentials; it accepts ${allow.map(a => `'${a}'`).join(', ')}.`,
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
