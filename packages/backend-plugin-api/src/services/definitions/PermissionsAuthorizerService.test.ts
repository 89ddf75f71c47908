import type { InternalServiceFactory } from '../createServiceFactory';
import { getRefDefaultFactory } from '../createServiceRef';
import { DefaultRootPermissionsAuthorizerService } from '../DefaultRootPermissionsAuthorizerService';
import { permissionsAuthorizerServiceRef } from './PermissionsAuthorizerService';

describe('permissionsAuthorizerServiceRef', () => {
  it('has a default factory, so a backend without a factory for the slot (Backstage) still provides it', async () => {
    const load = getRefDefaultFactory(permissionsAuthorizerServiceRef);
    const factory = (await load!(
      permissionsAuthorizerServiceRef,
    )) as InternalServiceFactory;
    expect(factory.service.id).toBe('alpha.core.permissionsAuthorizer');
    expect(
      Object.fromEntries(
        Object.entries(factory.deps).map(([name, ref]) => [name, ref.id]),
      ),
    ).toEqual({
      rootInstanceMetadata: 'core.rootInstanceMetadata',
      rootLifecycle: 'core.rootLifecycle',
    });
    const slot = await factory.factory(
      {
        rootInstanceMetadata: {
          getId: () => 'test',
          getInstalledPlugins: async () => [],
        },
        rootLifecycle: { addStartupHook: () => {} },
      },
      undefined,
    );
    expect(slot).toBeInstanceOf(DefaultRootPermissionsAuthorizerService);
  });
});
