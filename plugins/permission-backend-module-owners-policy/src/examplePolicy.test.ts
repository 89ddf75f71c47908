// The example of the README's "Writing your own policy", kept here so that
// it is known to compile and to do what the README says.
import { createBackendModule } from '@plinth/backend-plugin-api';
import { mockCredentials } from '@plinth/backend-test-utils';
import {
  catalogConditions,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  createCatalogConditionalDecision,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@plinth/plugin-permission-node';
import { policyExtensionPoint } from '@plinth/plugin-permission-node/alpha';
import { startCatalogWithPolicy } from './startCatalogWithPolicy.fixture';

class OwnersDeletePolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    if (isPermission(request.permission, catalogEntityDeletePermission)) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const permissionModuleOwnersDeletePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'owners-delete-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new OwnersDeletePolicy());
      },
    });
  },
});

describe('the example policy of the README', () => {
  const jane: PolicyQueryUser = {
    credentials: mockCredentials.user('user:default/jane'),
    info: {
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['user:default/jane', 'group:default/team-a'],
    },
    token: mockCredentials.user.token('user:default/jane'),
  };

  it('makes deleting an entity conditional on owning it', async () => {
    await expect(
      new OwnersDeletePolicy().handle(
        { permission: catalogEntityDeletePermission },
        jane,
      ),
    ).resolves.toEqual(
      createCatalogConditionalDecision(
        catalogEntityDeletePermission,
        catalogConditions.isEntityOwner({
          claims: ['user:default/jane', 'group:default/team-a'],
        }),
      ),
    );
  });

  it('allows everything else to users and nothing to anonymous callers', async () => {
    const policy = new OwnersDeletePolicy();
    const permission = catalogEntityRefreshPermission;
    await expect(policy.handle({ permission }, jane)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(policy.handle({ permission })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets the catalog delete only the entities the user owns, once installed', async () => {
    const catalog = await startCatalogWithPolicy({
      policy: permissionModuleOwnersDeletePolicy,
    });
    try {
      const foreign = await catalog.uidOf('component:default/website');
      const owned = await catalog.uidOf('component:default/petstore');
      const asJane = catalog.as('user:default/jane');
      await asJane
        .delete(`/api/catalog/entities/by-uid/${foreign}`)
        .expect(403);
      await asJane.delete(`/api/catalog/entities/by-uid/${owned}`).expect(204);
    } finally {
      await catalog.stop();
    }
  }, 60_000);
});
