import type { PermissionsService } from '@plinth/backend-plugin-api';
import { mockCredentials } from '@plinth/backend-test-utils';
import {
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogPermissionRules,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import { createConditionTransformer } from '@plinth/plugin-permission-node';
import { CatalogPermissionGuard } from './CatalogPermissionGuard';

const credentials = mockCredentials.user('user:default/jane');

/** A guard over a permissions service that answers `decision` to everything. */
function guardAnswering(decision: PolicyDecision) {
  const permissions: PermissionsService = {
    authorize: async requests =>
      requests.map(() =>
        decision.result === AuthorizeResult.CONDITIONAL
          ? { result: AuthorizeResult.DENY }
          : decision,
      ),
    authorizeConditional: async requests => requests.map(() => decision),
  };
  return new CatalogPermissionGuard({
    permissions,
    transform: createConditionTransformer(
      Object.values(catalogPermissionRules),
    ),
  });
}

describe('CatalogPermissionGuard', () => {
  it('gives no filter for ALLOW, and a filter that matches nothing for DENY', async () => {
    await expect(
      guardAnswering({ result: AuthorizeResult.ALLOW }).entityFilter(
        catalogEntityReadPermission,
        credentials,
      ),
    ).resolves.toBeUndefined();
    await expect(
      guardAnswering({ result: AuthorizeResult.DENY }).entityFilter(
        catalogEntityReadPermission,
        credentials,
      ),
    ).resolves.toEqual({ anyOf: [] });
  });

  it('turns conditions into search filters and records the decision', async () => {
    const recorded: unknown[] = [];
    const filter = await guardAnswering({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        not: {
          rule: 'IS_ENTITY_KIND',
          resourceType: 'catalog-entity',
          params: { kinds: ['Group'] },
        },
      },
    }).entityFilter(catalogEntityReadPermission, credentials, {
      recordDecision: d => recorded.push(d),
    });
    expect([filter, recorded]).toEqual([
      { not: { key: 'kind', values: ['Group'] } },
      [{ permission: 'catalog.entity.read', result: 'CONDITIONAL' }],
    ]);
  });

  it('refuses conditions meant for another resource type', async () => {
    await expect(
      guardAnswering({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-template',
        conditions: { rule: 'HAS_TAG', resourceType: 'scaffolder-template' },
      }).entityFilter(catalogEntityReadPermission, credentials),
    ).rejects.toThrow(
      "The permission policy answered 'catalog.entity.read' with conditions for resource type 'scaffolder-template' of plugin 'scaffolder'; the catalog applies only conditions for 'catalog-entity' of plugin 'catalog'. Fix the policy's conditional decision.",
    );
  });

  it('throws the 403 at once when a write is denied outright', async () => {
    await expect(
      guardAnswering({ result: AuthorizeResult.DENY }).entityFilterOrThrow(
        catalogEntityRefreshPermission,
        credentials,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "Permission 'catalog.entity.refresh' was denied to 'user:default/jane' by the permission policy. Ask an administrator of the permission policy for access.",
    });
  });
});
