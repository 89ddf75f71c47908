import express from 'express';
import request from 'supertest';
import { mockCredentials } from './mockCredentials';
import { MockAuthService, MockHttpAuthService } from './MockAuthService';

describe('MockAuthService', () => {
  const auth = new MockAuthService({ pluginId: 'catalog' });

  it('authenticates users and services from mock tokens', async () => {
    await expect(
      auth.authenticate(mockCredentials.user.token('user:default/jane')),
    ).resolves.toEqual(mockCredentials.user('user:default/jane'));
    await expect(
      auth.authenticate(mockCredentials.user.token()),
    ).resolves.toEqual(mockCredentials.user());
    await expect(
      auth.authenticate(mockCredentials.service.token({ subject: 'plugin:x' })),
    ).resolves.toEqual(mockCredentials.service('plugin:x'));
  });

  it('rejects invalid, unknown and malformed tokens', async () => {
    await expect(
      auth.authenticate(mockCredentials.user.invalidToken()),
    ).rejects.toThrow('Invalid mock token.');
    await expect(auth.authenticate('abc')).rejects.toThrow(
      "Unknown mock token 'abc'; create tokens with mockCredentials.",
    );
    await expect(auth.authenticate('mock-user-token:{')).rejects.toThrow(
      "Malformed mock token 'mock-user-token:{'; create tokens with mockCredentials.",
    );
  });

  it('accepts limited user tokens only where limited access is allowed', async () => {
    const token = mockCredentials.limitedUser.token('user:default/jane');
    await expect(auth.authenticate(token)).rejects.toThrow(
      'A limited user token is only accepted where limited access is allowed.',
    );
    await expect(
      auth.authenticate(token, { allowLimitedAccess: true }),
    ).resolves.toEqual(mockCredentials.user('user:default/jane'));
  });

  it('issues plugin tokens that only their target accepts, naming the calling plugin as actor', async () => {
    const { token } = await new MockAuthService({
      pluginId: 'scaffolder',
    }).getPluginRequestToken({
      onBehalfOf: mockCredentials.user('user:default/jane'),
      targetPluginId: 'catalog',
    });
    await expect(auth.authenticate(token)).resolves.toEqual({
      $$type: '@backstage/BackstageCredentials',
      principal: {
        type: 'user',
        userEntityRef: 'user:default/jane',
        actor: { type: 'service', subject: 'plugin:scaffolder' },
      },
    });
    await expect(
      new MockAuthService({ pluginId: 'todo' }).authenticate(token),
    ).rejects.toThrow(
      "The mock service token is meant for plugin 'catalog', not 'todo'.",
    );
  });

  it('refuses a plugin token on behalf of no one', async () => {
    await expect(
      auth.getPluginRequestToken({
        onBehalfOf: mockCredentials.none(),
        targetPluginId: 'todo',
      }),
    ).rejects.toThrow(
      'Cannot make a plugin request token on behalf of no one; pass user or service credentials.',
    );
  });

  it('tells principal types apart', async () => {
    const own = await auth.getOwnServiceCredentials();
    expect(own.principal).toEqual({
      type: 'service',
      subject: 'plugin:catalog',
    });
    expect(auth.isPrincipal(own, 'service')).toBe(true);
    expect(auth.isPrincipal(own, 'user')).toBe(false);
    expect(auth.isPrincipal(await auth.getNoneCredentials(), 'none')).toBe(
      true,
    );
  });
});

function appWith(
  httpAuth: MockHttpAuthService,
  allow?: Array<'user' | 'service' | 'none'>,
) {
  const app = express();
  app.get('/', async (req, res) => {
    try {
      res.json(await httpAuth.credentials(req, { allow }));
    } catch (error) {
      res.status(400).json({ message: (error as Error).message });
    }
  });
  return app;
}

describe('MockHttpAuthService', () => {
  const auth = new MockAuthService({ pluginId: 'todo' });

  it('reads credentials from the Authorization header', async () => {
    const app = appWith(new MockHttpAuthService({ auth }));
    const response = await request(app)
      .get('/')
      .set('Authorization', mockCredentials.user.header('user:default/jane'));
    expect(response.body).toEqual(mockCredentials.user('user:default/jane'));
  });

  it('treats a request without a token as the default credentials', async () => {
    const app = appWith(new MockHttpAuthService({ auth }));
    expect((await request(app).get('/')).body).toEqual(mockCredentials.user());
  });

  it('rejects unauthenticated requests when the default is none', async () => {
    const app = appWith(
      new MockHttpAuthService({
        auth,
        defaultCredentials: mockCredentials.none(),
      }),
      ['user', 'service'],
    );
    expect((await request(app).get('/')).body.message).toBe(
      "Missing credentials; send 'Authorization: Bearer <token>'.",
    );
  });

  it('rejects principal types that are not allowed', async () => {
    const app = appWith(new MockHttpAuthService({ auth }), ['service']);
    expect((await request(app).get('/')).body.message).toBe(
      "This endpoint does not accept user credentials; it accepts 'service'.",
    );
  });

  it('rejects a malformed Authorization header', async () => {
    const app = appWith(new MockHttpAuthService({ auth }));
    const response = await request(app)
      .get('/')
      .set('Authorization', 'Basic x');
    expect(response.body.message).toBe(
      "Malformed Authorization header; use 'Bearer <token>'.",
    );
  });
});
