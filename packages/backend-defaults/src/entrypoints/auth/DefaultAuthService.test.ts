import type {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@plinth/backend-plugin-api';
import { InputError, NotAllowedError } from '@plinth/errors';
import {
  claimsOf,
  expectAuthenticationError,
  oldSecret,
  secret,
  setup,
  start,
  startSeconds,
  userCredentials,
  userToken,
} from './DefaultAuthService.fixture';

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
