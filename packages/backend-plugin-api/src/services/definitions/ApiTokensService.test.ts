import type { InternalServiceFactory } from '../createServiceFactory';
import { getRefDefaultFactory } from '../createServiceRef';
import { apiTokensServiceRef, type ApiTokensService } from './ApiTokensService';

async function defaultApiTokens(): Promise<ApiTokensService> {
  const load = getRefDefaultFactory(apiTokensServiceRef);
  const factory = (await load!(apiTokensServiceRef)) as InternalServiceFactory;
  expect(factory.service.id).toBe('alpha.core.apiTokens');
  expect(factory.deps).toEqual({});
  return (await factory.factory({}, undefined)) as ApiTokensService;
}

const unavailable =
  "API tokens are not available in this backend: no factory provides 'alpha.core.apiTokens'. Add apiTokensServiceFactory of '@plinth/backend-defaults/apiTokens' with backend.add().";

describe('apiTokensServiceRef', () => {
  it('has a default factory, so the permission plugin and the auth service start on a backend without the token store (Backstage)', async () => {
    const apiTokens = await defaultApiTokens();
    expect(apiTokens.isApiToken('plinth_pat_abc')).toBe(false);
  });

  it('answers 503 naming the factory to add for every admin call of the default', async () => {
    const apiTokens = await defaultApiTokens();
    for (const call of [
      () => apiTokens.create({ name: 'ci', createdBy: 'user:default/ada' }),
      () => apiTokens.list(),
      () => apiTokens.get('ci'),
      () => apiTokens.revoke('ci', { revokedBy: 'user:default/ada' }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: unavailable,
      });
    }
  });

  it('refuses to authenticate with the default, naming the factory to add', async () => {
    const apiTokens = await defaultApiTokens();
    await expect(
      apiTokens.authenticate('plinth_pat_abc', { pluginId: 'catalog' }),
    ).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: unavailable,
    });
  });
});
