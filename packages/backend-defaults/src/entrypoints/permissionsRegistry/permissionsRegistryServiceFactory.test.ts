import {
  coreServices,
  createBackendPlugin,
  type PermissionsRegistryService,
} from '@plinth/backend-plugin-api';
import {
  permissionsAuthorizerServiceRef,
  type RootPermissionsAuthorizerService,
} from '@plinth/backend-plugin-api/alpha';
import { mockCredentials, startTestBackend } from '@plinth/backend-test-utils';
import {
  createPermission,
  createPermissionResourceRef,
  createPermissionRule,
} from '@plinth/plugin-permission-common';
import request from 'supertest';
import { z } from 'zod';
import { z as zodV3 } from 'zod/v3';
import { permissionsRegistryServiceFactory } from './permissionsRegistryServiceFactory';

interface Todo {
  id: string;
  owner: string;
  tags: string[];
}

const todos: Record<string, Todo> = {
  '1': { id: '1', owner: 'user:default/jane', tags: ['home'] },
  '2': { id: '2', owner: 'user:default/joe', tags: ['work'] },
};

const todoResourceRef = createPermissionResourceRef<Todo, unknown>().with({
  pluginId: 'todo',
  resourceType: 'todo-item',
});

const isOwner = createPermissionRule({
  name: 'IS_OWNER',
  description: 'Allow items owned by one of the given refs',
  resourceRef: todoResourceRef,
  paramsSchema: z.object({ owners: z.array(z.string()) }),
  apply: (item: Todo, { owners }) => owners.includes(item.owner),
  toQuery: ({ owners }) => ({ owners }),
});

/** As published Backstage plugins still write them: a zod 3 schema. */
const hasTag = {
  name: 'HAS_TAG',
  description: 'Allow items with a tag',
  resourceType: 'todo-item',
  paramsSchema: zodV3.object({ tag: zodV3.string() }),
  apply: (item: Todo, { tag }: { tag: string }) => item.tags.includes(tag),
  toQuery: ({ tag }: { tag: string }) => ({ tag }),
};

const isShared = createPermissionRule({
  name: 'IS_SHARED',
  description: 'Allow shared items',
  resourceRef: todoResourceRef,
  apply: () => false,
  toQuery: () => ({ shared: true }),
});

const itemRead = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
  resourceType: 'todo-item',
});
const itemCreate = createPermission({
  name: 'todo.item.create',
  attributes: { action: 'create' },
});

let registry: PermissionsRegistryService | undefined;

const todoPlugin = createBackendPlugin({
  pluginId: 'todo',
  register(env) {
    env.registerInit({
      deps: { permissionsRegistry: coreServices.permissionsRegistry },
      async init({ permissionsRegistry }) {
        registry = permissionsRegistry;
        permissionsRegistry.addResourceType({
          resourceRef: todoResourceRef,
          permissions: [itemRead],
          rules: [isOwner],
          getResources: async refs => refs.map(ref => todos[ref]),
        });
        permissionsRegistry.addPermissionRules([hasTag as never, isShared]);
        permissionsRegistry.addPermissions([itemCreate]);
      },
    });
  },
});

const permissionBackend = {
  Authorization: mockCredentials.service.header({
    subject: 'plugin:permission',
  }),
};
const applyPath =
  '/api/todo/.well-known/backstage/permissions/apply-conditions';

async function start() {
  return startTestBackend({
    features: [todoPlugin, permissionsRegistryServiceFactory],
  });
}

describe('permissionsRegistryServiceFactory', () => {
  it('serves the permissions and rules with their parameter schemas', async () => {
    const { server } = await start();
    const response = await request(server)
      .get('/api/todo/.well-known/backstage/permissions/metadata')
      .set(permissionBackend)
      .expect(200);
    expect(response.body).toEqual({
      permissions: [itemRead, itemCreate],
      rules: [
        {
          name: 'IS_OWNER',
          description: 'Allow items owned by one of the given refs',
          resourceType: 'todo-item',
          paramsSchema: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: {
              owners: { type: 'array', items: { type: 'string' } },
            },
            required: ['owners'],
          },
        },
        {
          name: 'HAS_TAG',
          description: 'Allow items with a tag',
          resourceType: 'todo-item',
          paramsSchema: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { tag: { type: 'string' } },
            required: ['tag'],
            additionalProperties: false,
          },
        },
        {
          name: 'IS_SHARED',
          description: 'Allow shared items',
          resourceType: 'todo-item',
          paramsSchema: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: {},
            additionalProperties: false,
          },
        },
      ],
    });
  });

  it('applies conditions to the resources it loads', async () => {
    const { server } = await start();
    const response = await request(server)
      .post(applyPath)
      .set(permissionBackend)
      .send({
        items: [
          {
            id: 'a',
            resourceRef: '1',
            resourceType: 'todo-item',
            conditions: {
              rule: 'IS_OWNER',
              resourceType: 'todo-item',
              params: { owners: ['user:default/jane'] },
            },
          },
          {
            id: 'b',
            resourceRef: ['1', '2', 'missing'],
            resourceType: 'todo-item',
            conditions: {
              anyOf: [
                {
                  rule: 'HAS_TAG',
                  resourceType: 'todo-item',
                  params: { tag: 'work' },
                },
                { not: { rule: 'IS_SHARED', resourceType: 'todo-item' } },
              ],
            },
          },
        ],
      })
      .expect(200);
    expect(response.body).toEqual({
      items: [
        { id: 'a', result: 'ALLOW' },
        { id: 'b', result: ['ALLOW', 'ALLOW', 'DENY'] },
      ],
    });
  });

  it('answers users who call on behalf of a service, and refuses direct users', async () => {
    const { server } = await start();
    const body = {
      items: [
        {
          id: 'a',
          resourceRef: '2',
          resourceType: 'todo-item',
          conditions: { rule: 'IS_SHARED', resourceType: 'todo-item' },
        },
      ],
    };
    await request(server)
      .post(applyPath)
      .set(
        'Authorization',
        mockCredentials.service.header({
          subject: 'plugin:permission',
          onBehalfOf: mockCredentials.user('user:default/jane'),
        }),
      )
      .send(body)
      .expect(200, { items: [{ id: 'a', result: 'DENY' }] });
    const direct = await request(server)
      .post(applyPath)
      .set('Authorization', mockCredentials.user.header('user:default/jane'))
      .send(body)
      .expect(403);
    expect(direct.body.error.message).toBe(
      "Applying permission conditions of plugin 'todo' is for the permission backend; a user may only call it through a service, not directly.",
    );
    await request(server)
      .get('/api/todo/.well-known/backstage/permissions/metadata')
      .set('Authorization', mockCredentials.none.header() ?? '')
      .expect(200);
  });

  it('names every problem of an invalid body in one 400', async () => {
    const { server } = await start();
    const response = await request(server)
      .post(applyPath)
      .set(permissionBackend)
      .send({
        items: [
          {
            id: 'a',
            resourceRef: [],
            resourceType: 'todo-item',
            conditions: {},
          },
          {
            id: 'b',
            resourceRef: '1',
            resourceType: 'todo-item',
            conditions: { allOf: [] },
          },
        ],
      })
      .expect(400);
    expect(response.body.error).toMatchObject({
      name: 'InputError',
      message:
        'Invalid apply-conditions request: found 2 problems:\n' +
        '  - items[0].resourceRef must be a string or a non-empty array of strings, got an empty array\n' +
        '  - items[1].conditions.allOf must be a non-empty array, got an empty array',
    });
  });

  it('refuses unknown types and rules, mismatched types and bad params', async () => {
    const { server } = await start();
    const item = (id: string, resourceType: string, conditions: object) => ({
      id,
      resourceRef: '1',
      resourceType,
      conditions,
    });
    const response = await request(server)
      .post(applyPath)
      .set(permissionBackend)
      .send({
        items: [
          item('a', 'catalog-entity', {
            rule: 'IS_OWNER',
            resourceType: 'catalog-entity',
          }),
          item('b', 'todo-item', {
            rule: 'IS_LATE',
            resourceType: 'todo-item',
          }),
          item('c', 'todo-item', {
            not: { rule: 'IS_SHARED', resourceType: 'other' },
          }),
          item('d', 'todo-item', {
            allOf: [
              {
                rule: 'IS_OWNER',
                resourceType: 'todo-item',
                params: { owners: 'jane' },
              },
            ],
          }),
          item('e', 'todo-item', {
            rule: 'HAS_TAG',
            resourceType: 'todo-item',
          }),
        ],
      })
      .expect(400);
    expect(response.body.error.message).toBe(
      'Cannot apply permission conditions: found 5 problems:\n' +
        "  - items[0].resourceType 'catalog-entity' is not a resource type of this plugin\n" +
        "  - items[1].conditions: Plugin 'todo' has no permission rule 'IS_LATE' for resource type 'todo-item'; its rules are 'IS_OWNER', 'HAS_TAG', 'IS_SHARED'\n" +
        "  - items[2].conditions.not is for resource type 'other', but the item is for 'todo-item'\n" +
        "  - items[3].conditions.allOf[0].params are invalid for rule 'IS_OWNER': owners: Invalid input: expected array, received string\n" +
        "  - items[4].conditions.params are invalid for rule 'HAS_TAG': Required",
    );
  });

  it('closes registration once the plugin has started', async () => {
    await start();
    expect(() => registry!.addPermissions([itemCreate])).toThrow(
      "permissionsRegistry.addPermissions() of plugin 'todo' was called after the plugin started; register permissions, resource types and rules in the plugin's or a module's init.",
    );
  });

  it('gives the rules of its own resource types only', async () => {
    await start();
    const ruleset = registry!.getPermissionRuleset(todoResourceRef);
    expect(ruleset.getRuleByName('IS_OWNER')).toBe(isOwner);
    expect(() => ruleset.getRuleByName('IS_LATE')).toThrow(
      "Plugin 'todo' has no permission rule 'IS_LATE' for resource type 'todo-item'; its rules are 'IS_OWNER', 'HAS_TAG', 'IS_SHARED'.",
    );
    const other = createPermissionResourceRef().with({
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
    });
    expect(() => registry!.getPermissionRuleset(other)).toThrow(
      "permissionsRegistry.getPermissionRuleset() of plugin 'todo' got resource type 'catalog-entity', which belongs to plugin 'catalog'; a plugin registers and reads only its own resource types.",
    );
  });
});

describe('permissionsRegistryServiceFactory in-process', () => {
  it("adds how the plugin applies conditions to the backend's permission wiring", async () => {
    let wiring: RootPermissionsAuthorizerService | undefined;
    await startTestBackend({
      features: [
        todoPlugin,
        permissionsRegistryServiceFactory,
        createBackendPlugin({
          pluginId: 'probe',
          register(env) {
            env.registerInit({
              deps: { authorizer: permissionsAuthorizerServiceRef },
              async init(deps) {
                wiring = deps.authorizer;
              },
            });
          },
        }),
      ],
    });
    const apply = wiring!.getConditionsApplier('todo')!;
    const owner = (owners: string[]) => ({
      rule: 'IS_OWNER',
      resourceType: 'todo-item',
      params: { owners },
    });
    await expect(
      apply([
        {
          id: 'a',
          resourceRef: '1',
          resourceType: 'todo-item',
          conditions: owner(['user:default/jane']),
        },
        {
          id: 'b',
          resourceRef: '2',
          resourceType: 'todo-item',
          conditions: owner(['user:default/jane']),
        },
      ]),
    ).resolves.toEqual([{ result: 'ALLOW' }, { result: 'DENY' }]);
    await expect(
      apply([
        {
          id: 'a',
          resourceRef: '1',
          resourceType: 'todo-item',
          conditions: { rule: 'IS_LATE', resourceType: 'todo-item' },
        },
      ]),
    ).rejects.toThrow(
      "Cannot apply permission conditions: items[0].conditions: Plugin 'todo' has no permission rule 'IS_LATE' for resource type 'todo-item'; its rules are 'IS_OWNER', 'HAS_TAG', 'IS_SHARED'.",
    );
    expect(wiring!.getConditionsApplier('probe')).toBeUndefined();
  });
});
