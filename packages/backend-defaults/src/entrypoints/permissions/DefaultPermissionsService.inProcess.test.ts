import type { PermissionsAuthorizer } from '@plinth/backend-plugin-api/alpha';
import { mockCredentials, mockServices } from '@plinth/backend-test-utils';
import type { JsonObject } from '@plinth/errors';
import {
  AuthorizeResult,
  createPermission,
  type EvaluatePermissionRequest,
} from '@plinth/plugin-permission-common';
import { DefaultPermissionsService } from './DefaultPermissionsService';

const itemCreate = createPermission({
  name: 'todo.item.create',
  attributes: { action: 'create' },
});
const itemRead = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
  resourceType: 'todo-item',
});
const conditional = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'todo',
  resourceType: 'todo-item',
  conditions: { rule: 'IS_OWNER', resourceType: 'todo-item', params: {} },
};
const jane = mockCredentials.user('user:default/jane');

describe('DefaultPermissionsService', () => {
  it('asks the in-process authorizer and never the permission backend', async () => {
    const { permissions, evaluated } = create({
      permission: { enabled: true },
    });
    await expect(
      permissions.authorize([{ permission: itemCreate }], {
        credentials: jane,
      }),
    ).resolves.toEqual([{ result: 'DENY' }]);
    await expect(
      permissions.authorizeConditional([{ permission: itemRead }], {
        credentials: jane,
      }),
    ).resolves.toEqual([conditional]);
    expect(evaluated).toEqual([
      [{ permission: itemCreate }],
      [{ permission: itemRead }],
    ]);
  });

  it('refuses a conditional in-process decision as an answer to authorize', async () => {
    const { permissions } = create({ permission: { enabled: true } });
    await expect(
      permissions.authorize([{ permission: itemRead } as never], {
        credentials: jane,
      }),
    ).rejects.toThrow(
      "permissions.authorize() of plugin 'todo' got a conditional decision for permission 'todo.item.read', which needs the resource; pass its resourceRef, or call authorizeConditional() to filter many.",
    );
  });

  it('leaves the authorizer alone while permissions are disabled', async () => {
    const { permissions, evaluated } = create({
      permission: { enabled: false },
    });
    await expect(
      permissions.authorize([{ permission: itemCreate }], {
        credentials: jane,
      }),
    ).resolves.toEqual([{ result: 'ALLOW' }]);
    expect(evaluated).toEqual([]);
  });

  it('refuses a cache ttl that is no duration', () => {
    expect(() =>
      create({ permission: { enabled: true, cache: { ttl: 'soon' } } }),
    ).toThrow(
      "Invalid config at 'permission.cache.ttl' (mock-config): expected a duration: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got \"soon\".",
    );
  });
});

/** A service whose authorizer denies basic and conditions resource permissions. */
function create(data: JsonObject) {
  const evaluated: EvaluatePermissionRequest[][] = [];
  const authorizer: PermissionsAuthorizer = {
    async evaluate(requests) {
      evaluated.push(requests);
      return requests.map(r =>
        r.permission.type === 'resource'
          ? conditional
          : { result: AuthorizeResult.DENY },
      );
    },
  };
  const permissions = DefaultPermissionsService.create({
    pluginId: 'todo',
    auth: mockServices.auth({ pluginId: 'todo' }),
    discovery: {
      getBaseUrl: () =>
        Promise.reject(new Error('discovery must not be asked')),
      getExternalBaseUrl: () =>
        Promise.reject(new Error('discovery must not be asked')),
    },
    config: mockServices.rootConfig({ data }),
    authorizer: {
      setAuthorizer: () => undefined,
      getAuthorizer: async () => authorizer,
      addConditionsApplier: () => undefined,
      getConditionsApplier: () => undefined,
    },
  });
  return { permissions, evaluated };
}
