import { mockCredentials } from './mockCredentials';
import { MockAuthService } from './MockAuthService';

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

  it('issues plugin tokens that only their target accepts', async () => {
    const { token } = await new MockAuthService({
      pluginId: 'scaffolder',
    }).getPluginRequestToken({
      onBehalfOf: mockCredentials.user('user:default/jane'),
      targetPluginId: 'catalog',
    });
    await expect(auth.authenticate(token)).resolves.toEqual(
      mockCredentials.user('user:default/jane'),
    );
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
