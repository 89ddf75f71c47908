import { createSecretKey } from 'node:crypto';
import {
  expectAuthenticationError,
  secret,
  setup,
  start,
  startSeconds,
  userToken,
} from './DefaultAuthService.fixture';
import { signJws } from './signJws.fixture';

beforeEach(() => {
  jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'queueMicrotask'] });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('DefaultAuthService', () => {
  describe('user tokens', () => {
    it('accepts a user token signed with a shared key', async () => {
      const { catalog } = await setup();
      await expect(catalog.authenticate(userToken())).resolves.toEqual({
        $$type: '@backstage/BackstageCredentials',
        expiresAt: new Date((startSeconds + 3600) * 1000),
        principal: { type: 'user', userEntityRef: 'user:default/jane' },
      });
    });

    it('accepts a Backstage-style user token whose type is in the header only', async () => {
      const { catalog } = await setup();
      const token = signJws(
        { sub: 'user:default/jane', iat: startSeconds, exp: startSeconds + 60 },
        { alg: 'HS256', secret: createSecretKey(Buffer.from(secret)) },
        { typ: 'vnd.backstage.user' },
      );
      await expect(catalog.authenticate(token)).resolves.toMatchObject({
        principal: { type: 'user', userEntityRef: 'user:default/jane' },
      });
    });

    it('rejects an expired user token, naming the time', async () => {
      const { catalog } = await setup();
      const token = userToken();
      jest.setSystemTime(new Date(start.getTime() + 3_631_000));
      await expect(catalog.authenticate(token)).rejects.toMatchObject({
        cause: { name: 'InvalidTokenError', reason: 'expired' },
      });
      await expectAuthenticationError(
        catalog.authenticate(token),
        'Token expired at 2030-01-01T01:00:00.000Z; request a new token.',
      );
    });

    it('rejects a user token that is not valid yet', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(userToken({ nbf: startSeconds + 120 })),
        'Token not valid before 2030-01-01T00:02:00.000Z; check that the clocks of its issuer and this server agree.',
      );
    });

    it('rejects a token of an unknown type', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(userToken({ typ: 'id-token' })),
        "Token of type 'id-token' refused; send a user token ('vnd.backstage.user'), a plugin token ('vnd.plinth.service') or a static token from 'backend.auth.externalAccess'.",
      );
      await expectAuthenticationError(
        catalog.authenticate(userToken({ typ: undefined })),
        "Token of type none refused; send a user token ('vnd.backstage.user'), a plugin token ('vnd.plinth.service') or a static token from 'backend.auth.externalAccess'.",
      );
    });

    it('rejects malformed tokens with the reason', async () => {
      const { catalog } = await setup();
      const [, payload, signature] = userToken().split('.');
      await expectAuthenticationError(
        catalog.authenticate(`e30=.${payload}.${signature}`),
        'Malformed token: its header is not valid base64url; send the token exactly as it was issued.',
      );
      await expectAuthenticationError(
        catalog.authenticate(`bm9wZQ.${payload}.${signature}`),
        'Malformed token: its header is not JSON; send the token exactly as it was issued.',
      );
      await expectAuthenticationError(
        catalog.authenticate(userToken({ exp: 'tomorrow' })),
        "Invalid token: claim 'exp' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.",
      );
    });

    it('rejects unsigned tokens', async () => {
      const { catalog } = await setup();
      const header = Buffer.from('{"alg":"none"}').toString('base64url');
      const payload = userToken().split('.')[1];
      await expectAuthenticationError(
        catalog.authenticate(`${header}.${payload}.`),
        "Unsigned token refused: its header has alg 'none'; send a signed token.",
      );
    });

    it('rejects user tokens whose claims have the wrong shape', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(userToken({ sub: 7 })),
        "Malformed token: its claim 'sub' must be a non-empty string; ask its issuer for a token with the claims Plinth expects.",
      );
      await expectAuthenticationError(
        catalog.authenticate(userToken({ ent: 'group:default/team-a' })),
        "Malformed token: its claim 'ent' must be an array of entity refs; ask its issuer for a token with the claims Plinth expects.",
      );
    });

    it('rejects a plugin token whose subject is not a plugin', async () => {
      const { catalog } = await setup();
      const token = userToken({
        typ: 'vnd.plinth.service',
        sub: 'user:default/jane',
        aud: 'catalog',
        exp: startSeconds + 600,
      });
      await expectAuthenticationError(
        catalog.authenticate(token),
        "Malformed token: its claim 'sub' must be 'plugin:<pluginId>'; ask its issuer for a token with the claims Plinth expects.",
      );
    });
  });

  describe('token claims', () => {
    const timeClaim = (claim: string) =>
      `Invalid token: claim '${claim}' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.`;
    const tooLongForUsers = (limit: string) =>
      `Invalid token: it is valid for longer than the ${limit} that 'backend.auth.maxUserTokenLifetime' allows for user tokens; issue shorter-lived tokens.`;

    /** A token of `typ` signed with the shared key, issued at the start. */
    function signedToken(typ: string, lifetimeSeconds: number) {
      return userToken({
        typ,
        sub: typ === 'vnd.plinth.service' ? 'plugin:todo' : 'user:default/jane',
        aud: 'catalog',
        iat: startSeconds,
        exp: startSeconds + lifetimeSeconds,
      });
    }

    it('accepts a user token as Backstage issues it, for an hour', async () => {
      const { catalog } = await setup();
      const token = signJws(
        {
          typ: 'vnd.backstage.user',
          iss: 'http://localhost:7007/api/auth',
          sub: 'user:default/jane',
          ent: ['user:default/jane'],
          aud: 'backstage',
          iat: startSeconds,
          exp: startSeconds + 3600,
          uip: 'c2lnbmF0dXJl',
        },
        {
          alg: 'HS256',
          kid: 'a-key-id',
          secret: createSecretKey(Buffer.from(secret)),
        },
      );
      await expect(catalog.authenticate(token)).resolves.toMatchObject({
        principal: { type: 'user', userEntityRef: 'user:default/jane' },
        expiresAt: new Date((startSeconds + 3600) * 1000),
      });
    });

    it('refuses a user token without iat', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(userToken({ iat: undefined })),
        timeClaim('iat'),
      );
    });

    it('refuses an exp that is a fraction or too large for a date', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(userToken({ exp: 1e300 })),
        timeClaim('exp'),
      );
      await expectAuthenticationError(
        catalog.authenticate(userToken({ exp: startSeconds + 60.5 })),
        timeClaim('exp'),
      );
    });

    it('refuses a token whose exp is before its iat', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(userToken({ exp: startSeconds - 1 })),
        "Invalid token: claim 'exp' must be later than its 'iat'; ask its issuer for a token with standard JWT claims.",
      );
    });

    it('refuses a token issued in the future beyond the clock tolerance', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(
          userToken({ iat: startSeconds + 31, exp: startSeconds + 3600 }),
        ),
        'Token not valid before 2030-01-01T00:00:31.000Z; check that the clocks of its issuer and this server agree.',
      );
    });

    it('refuses a user token valid for a century', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(
          userToken({ exp: startSeconds + 100 * 365 * 86400 }),
        ),
        tooLongForUsers('24 hours'),
      );
    });

    it('accepts a user token valid for exactly 24 hours by default and refuses one a second longer', async () => {
      const { catalog } = await setup();
      await expect(
        catalog.authenticate(signedToken('vnd.backstage.user', 86400)),
      ).resolves.toBeDefined();
      await expectAuthenticationError(
        catalog.authenticate(signedToken('vnd.backstage.user', 86401)),
        tooLongForUsers('24 hours'),
      );
    });

    it('holds user tokens to a shorter configured maximum', async () => {
      const { catalog } = await setup({
        keys: [{ secret }],
        maxUserTokenLifetime: { hours: 1, minutes: 30 },
      });
      await expect(
        catalog.authenticate(signedToken('vnd.backstage.user', 5400)),
      ).resolves.toBeDefined();
      await expectAuthenticationError(
        catalog.authenticate(signedToken('vnd.backstage.user', 5401)),
        tooLongForUsers('1 hour 30 minutes'),
      );
    });

    it('accepts user tokens up to a longer configured maximum', async () => {
      const { catalog } = await setup({
        keys: [{ secret }],
        maxUserTokenLifetime: 'P7D',
      });
      await expect(
        catalog.authenticate(signedToken('vnd.backstage.user', 7 * 86400)),
      ).resolves.toBeDefined();
      await expectAuthenticationError(
        catalog.authenticate(signedToken('vnd.backstage.user', 7 * 86400 + 1)),
        tooLongForUsers('168 hours'),
      );
    });

    it('holds plugin tokens to the 10 minutes it issues them for', async () => {
      const { catalog } = await setup({
        keys: [{ secret }],
        maxUserTokenLifetime: { days: 1 },
      });
      await expect(
        catalog.authenticate(signedToken('vnd.plinth.service', 600)),
      ).resolves.toMatchObject({
        principal: { type: 'service', subject: 'plugin:todo' },
      });
      await expectAuthenticationError(
        catalog.authenticate(signedToken('vnd.plinth.service', 601)),
        'Invalid token: it is valid for longer than the 10 minutes that plugin tokens may live; issue plugin tokens with auth.getPluginRequestToken().',
      );
    });

    it('holds limited user tokens to an hour plus the clock tolerance', async () => {
      const { catalog } = await setup();
      const limited = (lifetime: number) =>
        catalog.authenticate(
          signedToken('vnd.backstage.limited-user', lifetime),
          { allowLimitedAccess: true },
        );
      await expect(limited(3630)).resolves.toBeDefined();
      await expectAuthenticationError(
        limited(3631),
        'Invalid token: it is valid for longer than the 1 hour that limited user tokens may live; issue them with auth.getLimitedUserToken().',
      );
    });
  });
});
