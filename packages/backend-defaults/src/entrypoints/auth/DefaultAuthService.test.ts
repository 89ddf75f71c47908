import { createSecretKey } from 'node:crypto';
import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  JsonObject,
} from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { InputError, NotAllowedError } from '@plinth/errors';
import { createAuthRootContext } from './createAuthRootContext';
import { DefaultAuthService } from './DefaultAuthService';
import { signJws } from './signJws.fixture';

const secret = 'a-shared-secret-of-32-characters';
const oldSecret = 'an-older-secret-of-32-characters';
const start = new Date('2030-01-01T00:00:00.000Z');
const startSeconds = start.getTime() / 1000;

async function setup(auth: JsonObject = { keys: [{ secret }] }) {
  const logger = mockServices.rootLogger();
  const context = await createAuthRootContext({
    config: mockServices.rootConfig({ data: { backend: { auth } } }),
    logger,
    nodeEnv: 'test',
  });
  const forPlugin = (pluginId: string) =>
    DefaultAuthService.create({ pluginId, context });
  return { logger, forPlugin, catalog: forPlugin('catalog') };
}

/** A user token as an identity provider sharing `key` would issue it. */
function userToken(claims: JsonObject = {}, key = secret, typ?: string) {
  return signJws(
    {
      typ: 'vnd.backstage.user',
      sub: 'user:default/jane',
      ent: ['user:default/jane', 'group:default/team-a'],
      iat: startSeconds,
      exp: startSeconds + 3600,
      ...claims,
    },
    { alg: 'HS256', secret: createSecretKey(Buffer.from(key)) },
    { typ },
  );
}

/**
 * Expects an `AuthenticationError` with exactly `message`; token failures
 * also carry the token check's error as their cause.
 */
async function expectAuthenticationError(
  promise: Promise<unknown>,
  message: string,
) {
  await expect(promise).rejects.toMatchObject({
    name: 'AuthenticationError',
    message,
  });
}

function claimsOf(token: string): JsonObject {
  return JSON.parse(
    Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
  ) as JsonObject;
}

async function userCredentials(auth: DefaultAuthService, claims?: JsonObject) {
  return (await auth.authenticate(
    userToken(claims),
  )) as BackstageCredentials<BackstageUserPrincipal>;
}

beforeEach(() => {
  jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'queueMicrotask'] });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('DefaultAuthService', () => {
  describe('plugin tokens', () => {
    it('issues a token for the target plugin that authenticates as the calling plugin', async () => {
      const { forPlugin } = await setup();
      const todo = forPlugin('todo');
      const { token } = await todo.getPluginRequestToken({
        onBehalfOf: await todo.getOwnServiceCredentials(),
        targetPluginId: 'catalog',
      });
      expect(claimsOf(token)).toEqual({
        typ: 'vnd.plinth.service',
        sub: 'plugin:todo',
        aud: 'catalog',
        iat: startSeconds,
        exp: startSeconds + 600,
      });
      await expect(forPlugin('catalog').authenticate(token)).resolves.toEqual({
        $$type: '@backstage/BackstageCredentials',
        expiresAt: new Date((startSeconds + 600) * 1000),
        principal: { type: 'service', subject: 'plugin:todo' },
      });
    });

    it('rejects a plugin token in a plugin it was not meant for', async () => {
      const { forPlugin } = await setup();
      const todo = forPlugin('todo');
      const { token } = await todo.getPluginRequestToken({
        onBehalfOf: await todo.getOwnServiceCredentials(),
        targetPluginId: 'search',
      });
      await expectAuthenticationError(
        forPlugin('catalog').authenticate(token),
        "Token meant for plugin 'search' refused by plugin 'catalog'; request one with auth.getPluginRequestToken({ targetPluginId: 'catalog' }).",
      );
    });

    it('carries the user on whose behalf the plugin calls, with their ownership', async () => {
      const { forPlugin, catalog } = await setup();
      const todo = forPlugin('todo');
      const user = await userCredentials(todo, { exp: startSeconds + 300 });
      const { token } = await todo.getPluginRequestToken({
        onBehalfOf: user,
        targetPluginId: 'catalog',
      });
      expect(claimsOf(token)).toMatchObject({
        sub: 'plugin:todo',
        obo: 'user:default/jane',
        ent: ['user:default/jane', 'group:default/team-a'],
        // Never outlives the user's own token.
        exp: startSeconds + 300,
      });
      const forwarded = await catalog.authenticate(token);
      expect(forwarded.principal).toEqual({
        type: 'user',
        userEntityRef: 'user:default/jane',
        actor: { type: 'service', subject: 'plugin:todo' },
      });
      const { token: again } = await catalog.getPluginRequestToken({
        onBehalfOf: forwarded,
        targetPluginId: 'search',
      });
      expect(claimsOf(again)).toMatchObject({
        sub: 'plugin:catalog',
        obo: 'user:default/jane',
        ent: ['user:default/jane', 'group:default/team-a'],
      });
    });

    it('forwards the credentials of a static token as the plugin itself', async () => {
      const { catalog } = await setup({
        keys: [{ secret }],
        externalAccess: [
          { type: 'static', options: { token: 'ci-token-1', subject: 'ci' } },
        ],
      });
      const { token } = await catalog.getPluginRequestToken({
        onBehalfOf: await catalog.authenticate('ci-token-1'),
        targetPluginId: 'search',
      });
      expect(claimsOf(token)).toMatchObject({
        sub: 'plugin:catalog',
        aud: 'search',
      });
    });

    it('refuses to act for none credentials', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.getPluginRequestToken({
          onBehalfOf: await catalog.getNoneCredentials(),
          targetPluginId: 'search',
        }),
        "Cannot issue a token for plugin 'search' on behalf of unauthenticated credentials; to call it as plugin 'catalog', pass await auth.getOwnServiceCredentials() as onBehalfOf.",
      );
    });

    it('gives an empty token for none credentials when the default auth policy is off', async () => {
      const { catalog } = await setup({
        dangerouslyDisableDefaultAuthPolicy: true,
      });
      await expect(
        catalog.getPluginRequestToken({
          onBehalfOf: await catalog.getNoneCredentials(),
          targetPluginId: 'search',
        }),
      ).resolves.toEqual({ token: '' });
    });

    it.each([['../admin'], ['a--b'], ['search-']])(
      "rejects the target '%s', which the engine refuses as a plugin id",
      async targetPluginId => {
        const { catalog } = await setup();
        await expect(
          catalog.getPluginRequestToken({
            onBehalfOf: await catalog.getOwnServiceCredentials(),
            targetPluginId,
          }),
        ).rejects.toThrow(
          new InputError(
            `Cannot issue a token for plugin "${targetPluginId}": it is not a plugin id, which uses letters, digits and single dashes, starting with a letter, such as 'my-plugin'; pass the id the target plugin was created with.`,
          ),
        );
      },
    );

    it('rejects onBehalfOf values that are not credentials', async () => {
      const { catalog } = await setup();
      await expect(
        catalog.getPluginRequestToken({
          onBehalfOf: { principal: 'me' } as unknown as BackstageCredentials,
          targetPluginId: 'search',
        }),
      ).rejects.toThrow(
        new InputError(
          "Cannot issue a token for plugin 'search': onBehalfOf is not credentials from the auth service; pass credentials from httpAuth.credentials() or auth.getOwnServiceCredentials().",
        ),
      );
    });

    it('refuses to act for a user whose credentials expired', async () => {
      const { catalog } = await setup();
      const user = await userCredentials(catalog, { exp: startSeconds + 60 });
      jest.setSystemTime(new Date(start.getTime() + 61_000));
      await expectAuthenticationError(
        catalog.getPluginRequestToken({
          onBehalfOf: user,
          targetPluginId: 'search',
        }),
        "Credentials of 'user:default/jane' expired at 2030-01-01T00:01:00.000Z; the user must sign in again.",
      );
    });

    it('refuses user credentials that it did not create', async () => {
      const { catalog } = await setup();
      const handMade: BackstageCredentials<BackstageUserPrincipal> = {
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/admin' },
      };
      await expect(
        catalog.getPluginRequestToken({
          onBehalfOf: handMade,
          targetPluginId: 'search',
        }),
      ).rejects.toThrow(
        new InputError(
          "Credentials of 'user:default/admin' were not created by this backend's auth service, so their ownership is unknown; pass the credentials from httpAuth.credentials() or auth.authenticate().",
        ),
      );
    });

    it('rejects an expired plugin token', async () => {
      const { forPlugin, catalog } = await setup();
      const todo = forPlugin('todo');
      const { token } = await todo.getPluginRequestToken({
        onBehalfOf: await todo.getOwnServiceCredentials(),
        targetPluginId: 'catalog',
      });
      // Expiry plus the 30 seconds of tolerated clock drift.
      jest.setSystemTime(new Date(start.getTime() + 630_000));
      await expectAuthenticationError(
        catalog.authenticate(token),
        'Token expired at 2030-01-01T00:10:00.000Z; request a new token.',
      );
    });
  });

  describe('keys', () => {
    it('signs with a per-process Ed25519 key and lists it when no keys are configured', async () => {
      const { catalog, forPlugin, logger } = await setup({});
      const { keys } = await catalog.listPublicServiceKeys();
      expect(keys).toEqual([
        {
          kty: 'OKP',
          crv: 'Ed25519',
          x: expect.any(String),
          kid: expect.any(String),
          alg: 'EdDSA',
          use: 'sig',
        },
      ]);
      expect(logger.messages('info')).toEqual([
        "No 'backend.auth.keys' are configured, so plugin-to-plugin tokens are signed with a key generated for this process and only verify within it; set 'backend.auth.keys' to a shared secret to run several replicas.",
      ]);
      const { token } = await catalog.getPluginRequestToken({
        onBehalfOf: await catalog.getOwnServiceCredentials(),
        targetPluginId: 'search',
      });
      expect(
        JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()),
      ).toEqual({
        alg: 'EdDSA',
        kid: keys[0].kid,
        typ: 'vnd.plinth.service',
      });
      await expect(
        forPlugin('search').authenticate(token),
      ).resolves.toMatchObject({
        principal: { type: 'service', subject: 'plugin:catalog' },
      });
      // Another backend in the same process shares the key.
      const other = await setup({});
      await expect(
        other.forPlugin('search').authenticate(token),
      ).resolves.toBeDefined();
      await expect(other.catalog.listPublicServiceKeys()).resolves.toEqual({
        keys,
      });
    });

    it('lists no public keys and logs nothing with shared secrets', async () => {
      const { catalog, logger } = await setup();
      await expect(catalog.listPublicServiceKeys()).resolves.toEqual({
        keys: [],
      });
      expect(logger.lines).toEqual([]);
    });

    it('verifies tokens signed with any configured key and signs with the first', async () => {
      const before = await setup({ keys: [{ secret: oldSecret }] });
      const after = await setup({ keys: [{ secret }, { secret: oldSecret }] });
      const onlyNew = await setup({ keys: [{ secret }] });
      const own = await before.catalog.getOwnServiceCredentials();
      const { token: oldToken } = await before.catalog.getPluginRequestToken({
        onBehalfOf: own,
        targetPluginId: 'search',
      });
      await expect(
        after.forPlugin('search').authenticate(oldToken),
      ).resolves.toBeDefined();
      const { token: newToken } = await after.catalog.getPluginRequestToken({
        onBehalfOf: own,
        targetPluginId: 'search',
      });
      await expect(
        onlyNew.forPlugin('search').authenticate(newToken),
      ).resolves.toBeDefined();
      await expectAuthenticationError(
        onlyNew.forPlugin('search').authenticate(oldToken),
        "Token signed with an unknown key: its signature matches none of this backend's keys; check that its issuer signs with one of the secrets in 'backend.auth.keys'.",
      );
    });

    it('explains that only its own tokens verify when no keys are configured', async () => {
      const { catalog } = await setup({});
      await expectAuthenticationError(
        catalog.authenticate(userToken()),
        "Token signed with an unknown key: it uses alg 'HS256', which none of this backend's keys use; no 'backend.auth.keys' are configured, so only tokens issued by this process verify; set 'backend.auth.keys' to the same secret on every replica and identity provider.",
      );
    });
  });

  describe('static tokens', () => {
    const externalAccess = [
      { type: 'static', options: { token: 'ci-token-1', subject: 'ci' } },
      {
        type: 'static',
        options: { token: 'bot-token-1', subject: 'bot' },
        accessRestrictions: [{ plugin: 'catalog' }, { plugin: 'search' }],
      },
    ];

    it('authenticates a static token as its external subject', async () => {
      const { catalog } = await setup({ externalAccess });
      await expect(catalog.authenticate('ci-token-1')).resolves.toEqual({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'service', subject: 'external:ci' },
      });
    });

    it('passes the restrictions of a restricted token to the plugins it may call', async () => {
      const { catalog } = await setup({ externalAccess });
      await expect(catalog.authenticate('bot-token-1')).resolves.toEqual({
        $$type: '@backstage/BackstageCredentials',
        principal: {
          type: 'service',
          subject: 'external:bot',
          accessRestrictions: { pluginIds: ['catalog', 'search'] },
        },
      });
    });

    it('forbids a restricted token in other plugins, naming the allowed ones', async () => {
      const { forPlugin } = await setup({ externalAccess });
      await expect(
        forPlugin('scaffolder').authenticate('bot-token-1'),
      ).rejects.toThrow(
        new NotAllowedError(
          "Static token of 'external:bot' may not call plugin 'scaffolder'; its accessRestrictions allow only 'catalog', 'search'. To allow it, add { plugin: 'scaffolder' } to its accessRestrictions in 'backend.auth.externalAccess'.",
        ),
      );
    });

    it('rejects an unknown static token', async () => {
      const { catalog } = await setup({ externalAccess });
      await expectAuthenticationError(
        catalog.authenticate('ci-token-2'),
        "Unknown static token: it matches no entry of 'backend.auth.externalAccess' and is not a signed token; check the token, or add it to 'backend.auth.externalAccess' with a subject.",
      );
    });

    it('rejects an empty token', async () => {
      const { catalog } = await setup();
      await expectAuthenticationError(
        catalog.authenticate(''),
        "Missing token: plugin 'catalog' was asked to authenticate an empty token; send one as 'Authorization: Bearer <token>'.",
      );
    });
  });

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

  describe('limited user tokens', () => {
    it('issues a limited token that authenticates only with limited access allowed', async () => {
      const { catalog } = await setup();
      const user = await userCredentials(catalog);
      const { token, expiresAt } = await catalog.getLimitedUserToken(user);
      expect(expiresAt).toEqual(new Date((startSeconds + 3600) * 1000));
      expect(claimsOf(token)).toEqual({
        typ: 'vnd.backstage.limited-user',
        sub: 'user:default/jane',
        ent: ['user:default/jane', 'group:default/team-a'],
        iat: startSeconds,
        exp: startSeconds + 3600,
      });
      await expect(
        catalog.authenticate(token, { allowLimitedAccess: true }),
      ).resolves.toMatchObject({
        principal: { type: 'user', userEntityRef: 'user:default/jane' },
      });
      await expectAuthenticationError(
        catalog.authenticate(token),
        "Limited user token refused by plugin 'catalog': such tokens come from cookies and are only accepted on routes that allow cookie access; send the user's full token in the 'Authorization' header.",
      );
    });

    it('lives no longer than the credentials it comes from', async () => {
      const { catalog } = await setup();
      const user = await userCredentials(catalog, { exp: startSeconds + 90 });
      const { expiresAt } = await catalog.getLimitedUserToken(user);
      expect(expiresAt).toEqual(new Date((startSeconds + 90) * 1000));
    });

    it('lives an hour at most', async () => {
      const { catalog } = await setup();
      const user = await userCredentials(catalog, {
        exp: startSeconds + 86400,
      });
      const { expiresAt } = await catalog.getLimitedUserToken(user);
      expect(expiresAt).toEqual(new Date((startSeconds + 3600) * 1000));
    });

    it('refuses credentials that are not a user', async () => {
      const { catalog } = await setup();
      const service = await catalog.getOwnServiceCredentials();
      await expect(
        catalog.getLimitedUserToken(
          service as unknown as BackstageCredentials<BackstageUserPrincipal>,
        ),
      ).rejects.toThrow(
        new InputError(
          "Cannot issue a limited user token for a 'service' principal; pass the credentials of a signed-in user.",
        ),
      );
    });
  });

  describe('credentials', () => {
    it('creates own service and none credentials', async () => {
      const { catalog } = await setup();
      await expect(catalog.getOwnServiceCredentials()).resolves.toEqual({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'service', subject: 'plugin:catalog' },
      });
      await expect(catalog.getNoneCredentials()).resolves.toEqual({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'none' },
      });
    });

    it('tells principal types apart', async () => {
      const { catalog } = await setup();
      const own = await catalog.getOwnServiceCredentials();
      expect(catalog.isPrincipal(own, 'service')).toBe(true);
      expect(catalog.isPrincipal(own, 'user')).toBe(false);
      expect(catalog.isPrincipal(own, 'none')).toBe(false);
      expect(catalog.isPrincipal(own, 'unknown')).toBe(true);
      const user = await userCredentials(catalog);
      expect(catalog.isPrincipal(user, 'user')).toBe(true);
    });
  });
});
