import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
  type DiscoveryService,
} from '@plinth/backend-plugin-api';
import { permissionsServiceFactory } from '@plinth/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { NotAllowedError } from '@plinth/errors';
import {
  AuthorizeResult,
  createPermission,
  createPermissionResourceRef,
  isResourcePermission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import {
  createConditionExports,
  createConditionTransformer,
  createPermissionRule,
  type PermissionPolicy,
} from '@plinth/plugin-permission-node';
import { policyExtensionPoint } from '@plinth/plugin-permission-node/alpha';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { z } from 'zod';
import { permissionPlugin } from './plugin';

type Todo = { id: string; owner: string };
type TodoFilter = { owners: string[] };

const todos: Todo[] = [
  { id: 'todo:1', owner: 'user:default/jane' },
  { id: 'todo:2', owner: 'group:default/team' },
  { id: 'todo:3', owner: 'user:default/joe' },
];
const todoRef = createPermissionResourceRef<Todo, TodoFilter>().with({
  pluginId: 'todo',
  resourceType: 'todo-item',
});
const isOwner = createPermissionRule({
  name: 'IS_OWNER',
  description: 'Allow items owned by one of the given refs',
  resourceRef: todoRef,
  paramsSchema: z.object({ owners: z.array(z.string()) }),
  apply: (todo, { owners }) => owners.includes(todo.owner),
  toQuery: ({ owners }) => ({ owners }),
});
const todoRead = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
  resourceType: 'todo-item',
});
const todoCreate = createPermission({
  name: 'todo.item.create',
  attributes: { action: 'create' },
});
const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: todoRef,
  rules: { isOwner },
});

/** Jane may create; everyone reads what they own, through their groups too. */
const ownersPolicy: PermissionPolicy = {
  async handle(request, user): Promise<PolicyDecision> {
    if (isResourcePermission(request.permission, 'todo-item')) {
      return createConditionalDecision(
        request.permission,
        conditions.isOwner({ owners: user?.info.ownershipEntityRefs ?? [] }),
      );
    }
    return {
      result:
        user?.info.userEntityRef === 'user:default/jane'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    };
  },
};

describe('permissionPlugin', () => {
  describe('in one backend', () => {
    let server: Server;
    const discovered: string[] = [];

    beforeAll(async () => {
      ({ server } = await startTestBackend({
        features: [
          ...enabledPermissions(),
          permissionPlugin,
          policyModule(ownersPolicy),
          todoPlugin,
          countingDiscovery(discovered, () => baseUrlOf(server)),
        ],
      }));
    });

    beforeEach(() => {
      discovered.length = 0;
    });

    it('decides a basic permission in-process, without asking discovery', async () => {
      await request(server)
        .post('/api/todo/todos')
        .set('authorization', mockCredentials.user.header('user:default/jane'))
        .expect(201);
      await request(server)
        .post('/api/todo/todos')
        .set('authorization', mockCredentials.user.header('user:default/joe'))
        .expect(403);
      expect(discovered).toEqual([]);
    });

    it('filters a list with the conditions of an in-process conditional decision', async () => {
      const response = await request(server)
        .get('/api/todo/todos')
        .set('authorization', mockCredentials.user.header('user:default/jane'))
        .expect(200);
      expect(response.body).toEqual(['todo:1', 'todo:2']);
      expect(discovered).toEqual([]);
    });

    it('resolves a conditional decision for one resource in-process, through the owning plugin registry', async () => {
      const jane = mockCredentials.user.header('user:default/jane');
      await request(server)
        .get('/api/todo/todos/todo:2')
        .set('authorization', jane)
        .expect(200);
      await request(server)
        .get('/api/todo/todos/todo:3')
        .set('authorization', jane)
        .expect(403);
      expect(discovered).toEqual([]);
    });

    it('answers the authorize route in Backstage format, echoing item ids', async () => {
      const response = await request(server)
        .post('/api/permission/authorize')
        .set('authorization', onBehalfOf('user:default/jane'))
        .send({
          items: [
            { id: 'a', permission: todoCreate },
            { id: 'b', permission: todoRead },
            { id: 'c', permission: todoRead, resourceRef: 'todo:3' },
            { id: 'd', permission: todoRead, resourceRef: 'todo:1' },
          ],
        })
        .expect(200);
      expect(response.body).toEqual({
        items: [
          { id: 'a', result: 'ALLOW' },
          {
            id: 'b',
            result: 'CONDITIONAL',
            pluginId: 'todo',
            resourceType: 'todo-item',
            conditions: {
              rule: 'IS_OWNER',
              resourceType: 'todo-item',
              params: { owners: ['user:default/jane', 'group:default/team'] },
            },
          },
          { id: 'c', result: 'DENY' },
          { id: 'd', result: 'ALLOW' },
        ],
      });
      // The todo plugin runs here: its registry applied the conditions.
      expect(discovered).toEqual([]);
    });

    it('answers a batched request with one result per listed resource, in order', async () => {
      const response = await request(server)
        .post('/api/permission/authorize')
        .set('authorization', mockCredentials.user.header('user:default/jane'))
        .send({
          items: [
            {
              id: 'a',
              permission: todoRead,
              resourceRef: ['todo:3', 'todo:1', 'todo:2'],
            },
            { id: 'b', permission: todoCreate },
          ],
        })
        .expect(200);
      expect(response.body).toEqual({
        items: [
          { id: 'a', result: ['DENY', 'ALLOW', 'ALLOW'] },
          { id: 'b', result: 'ALLOW' },
        ],
      });
    });

    it('refuses conditions to a user asking directly for a resource permission without a resourceRef', async () => {
      const response = await request(server)
        .post('/api/permission/authorize')
        .set('authorization', mockCredentials.user.header('user:default/jane'))
        .send({
          items: [
            { id: 'a', permission: todoCreate },
            { id: 'b', permission: todoRead },
          ],
        })
        .expect(400);
      expect(response.body.error.message).toBe(
        "Invalid authorize request: items[1] ('todo.item.read') asks for a resource permission without a resourceRef, which a user calling directly may not do. A policy's conditions go only to plugins acting on a user's behalf; send the resourceRef of each resource to check.",
      );
    });

    it('refuses a malformed body with a 400 naming each problem', async () => {
      const response = await request(server)
        .post('/api/permission/authorize')
        .send({
          items: [
            {
              id: 'a',
              permission: {
                type: 'basic',
                name: 'x',
                attributes: { action: 'archive' },
              },
            },
            {
              id: 'a',
              permission: { type: 'resource', name: 'y', attributes: {} },
            },
          ],
        })
        .expect(400);
      expect(response.body.error.message).toBe(
        "Invalid authorize request: found 3 problems:\n  - items[0].permission.attributes.action must be 'create', 'read', 'update' or 'delete' when given, got the string 'archive'\n  - items[1].permission.resourceType must be a non-empty string for a resource permission, got undefined\n  - items[1].id 'a' is used by an earlier item; give each item its own id",
      );
    });

    it('refuses a body without items', async () => {
      const response = await request(server)
        .post('/api/permission/authorize')
        .send({ requests: [] })
        .expect(400);
      expect(response.body.error.message).toBe(
        'Invalid authorize request: expected a JSON body { items: [{ id, permission, resourceRef? }] }, got an object.',
      );
    });
  });

  describe('across two backends', () => {
    let permissionServer: Server;
    let todoServer: Server;
    const discovered: string[] = [];

    beforeAll(async () => {
      ({ server: permissionServer } = await startTestBackend({
        features: [
          ...enabledPermissions(),
          permissionPlugin,
          policyModule(ownersPolicy),
          routingDiscovery({ todo: () => baseUrlOf(todoServer) }, () =>
            baseUrlOf(permissionServer),
          ),
        ],
      }));
      ({ server: todoServer } = await startTestBackend({
        features: [
          ...enabledPermissions(),
          todoPlugin,
          countingDiscovery(discovered, () => baseUrlOf(todoServer), {
            permission: () => baseUrlOf(permissionServer),
          }),
        ],
      }));
    });

    it('asks the remote permission backend once, then answers from the cache', async () => {
      const joe = mockCredentials.user.header('user:default/joe');
      for (let i = 0; i < 2; i++) {
        const response = await request(todoServer)
          .get('/api/todo/todos')
          .set('authorization', joe)
          .expect(200);
        expect(response.body).toEqual(['todo:3']);
      }
      expect(discovered).toEqual(['permission']);
    });

    it('resolves a conditional decision for one resource through the owning plugin in the other backend', async () => {
      const jane = mockCredentials.user.header('user:default/jane');
      await request(todoServer)
        .get('/api/todo/todos/todo:1')
        .set('authorization', jane)
        .expect(200);
      await request(todoServer)
        .get('/api/todo/todos/todo:3')
        .set('authorization', jane)
        .expect(403);
    });
  });

  describe('for anonymous callers', () => {
    /** A backend whose requests without a token carry no credentials. */
    async function startAnonymous(config: Record<string, unknown> = {}) {
      const { server } = await startTestBackend({
        features: [
          ...enabledPermissions(config),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          permissionPlugin,
          policyModule(ownersPolicy),
        ],
      });
      return server;
    }

    it('refuses conditions to an anonymous caller', async () => {
      const response = await request(await startAnonymous())
        .post('/api/permission/authorize')
        .send({
          items: [
            { id: 'a', permission: todoRead },
            { id: 'b', permission: todoRead },
          ],
        })
        .expect(400);
      expect(response.body.error.message).toBe(
        "Invalid authorize request: items[0] ('todo.item.read'), items[1] ('todo.item.read') ask for a resource permission without a resourceRef, which an anonymous caller may not do. A policy's conditions go only to plugins acting on a user's behalf; send the resourceRef of each resource to check.",
      );
    });

    it('gives an anonymous caller conditions when the default auth policy is disabled, as Backstage does', async () => {
      const server = await startAnonymous({
        backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } },
      });
      const response = await request(server)
        .post('/api/permission/authorize')
        .send({ items: [{ id: 'a', permission: todoRead }] })
        .expect(200);
      expect(response.body.items).toEqual([
        expect.objectContaining({ id: 'a', result: 'CONDITIONAL' }),
      ]);
    });
  });

  describe('at startup', () => {
    it('refuses to start without a policy while permissions are enabled', async () => {
      await expect(
        startTestBackend({
          features: [...enabledPermissions(), permissionPlugin],
        }),
      ).rejects.toThrow(
        "Plugin 'permission' has no policy, and 'permission.enabled' is true. Add a policy module, such as @plinth/plugin-permission-backend-module-owners-policy, or one of your own that calls policyExtensionPoint.setPolicy().",
      );
    });

    it('fails the permission checks of plugins that started waiting for it', async () => {
      let checked: Promise<unknown> | undefined;
      const eager = createBackendPlugin({
        pluginId: 'eager',
        register(env) {
          env.registerInit({
            deps: { permissions: coreServices.permissions },
            async init({ permissions }) {
              checked = permissions.authorize([{ permission: todoCreate }], {
                credentials: mockCredentials.user(),
              });
              await checked.catch(() => undefined);
            },
          });
        },
      });
      await expect(
        startTestBackend({
          features: [...enabledPermissions(), eager, permissionPlugin],
        }),
      ).rejects.toThrow("Plugin 'permission' has no policy");
      await expect(checked).rejects.toThrow(
        "Plugin 'permission' has no policy, and 'permission.enabled' is true.",
      );
    });

    it('refuses a second policy', async () => {
      await expect(
        startTestBackend({
          features: [
            permissionPlugin,
            policyModule(ownersPolicy),
            policyModule(ownersPolicy, 'second'),
          ],
        }),
      ).rejects.toThrow(
        "A permission policy is installed already; plugin 'permission' takes exactly one. Remove all but one policy module from the backend.",
      );
    });

    it('allows everything without a policy while permissions are disabled', async () => {
      const { server } = await startTestBackend({
        features: [permissionPlugin],
      });
      const response = await request(server)
        .post('/api/permission/authorize')
        .send({ items: [{ id: '1', permission: todoCreate }] })
        .expect(200);
      expect(response.body).toEqual({ items: [{ id: '1', result: 'ALLOW' }] });
    });
  });
});

/** The real permissions service with permissions on; the mock allows all. */
function enabledPermissions(config: Record<string, unknown> = {}) {
  return [
    permissionsServiceFactory,
    mockServices.rootConfig.factory({
      data: { ...config, permission: { enabled: true } },
    }),
    mockServices.userInfo.factory({
      ownership: { 'user:default/jane': ['group:default/team'] },
    }),
  ];
}

function policyModule(policy: PermissionPolicy, moduleId = 'test-policy') {
  return createBackendModule({
    pluginId: 'permission',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init(deps) {
          deps.policy.setPolicy(policy);
        },
      });
    },
  });
}

/** Registers todo items and their rule, and guards its routes with them. */
const todoPlugin = createBackendPlugin({
  pluginId: 'todo',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ httpRouter, httpAuth, permissions, permissionsRegistry }) {
        permissionsRegistry.addResourceType({
          resourceRef: todoRef,
          permissions: [todoRead],
          rules: [isOwner],
          getResources: async refs =>
            refs.map(ref => todos.find(t => t.id === ref)),
        });
        permissionsRegistry.addPermissions([todoCreate]);
        const toFilter = createConditionTransformer<TodoFilter>([isOwner]);
        const router = express.Router();
        router.post('/todos', async (req, res) => {
          const credentials = await httpAuth.credentials(req);
          const [decision] = await permissions.authorize(
            [{ permission: todoCreate }],
            { credentials },
          );
          if (decision.result !== AuthorizeResult.ALLOW) {
            throw new NotAllowedError('You may not create todos.');
          }
          res.status(201).json({});
        });
        router.get('/todos', async (req, res) => {
          const credentials = await httpAuth.credentials(req);
          const [decision] = await permissions.authorizeConditional(
            [{ permission: todoRead }],
            { credentials },
          );
          if (decision.result === AuthorizeResult.DENY) {
            throw new NotAllowedError('You may not read todos.');
          }
          const filter =
            decision.result === AuthorizeResult.CONDITIONAL
              ? (toFilter(decision.conditions) as TodoFilter)
              : undefined;
          res.json(
            todos
              .filter(t => !filter || filter.owners.includes(t.owner))
              .map(t => t.id),
          );
        });
        router.get('/todos/:id', async (req, res) => {
          const credentials = await httpAuth.credentials(req);
          const [decision] = await permissions.authorize(
            [{ permission: todoRead, resourceRef: req.params.id }],
            { credentials },
          );
          if (decision.result !== AuthorizeResult.ALLOW) {
            throw new NotAllowedError(`You may not read '${req.params.id}'.`);
          }
          res.json(todos.find(t => t.id === req.params.id));
        });
        httpRouter.use(router);
      },
    });
  },
});

/**
 * The header of a plugin's request on behalf of a user, as the permissions
 * service of another backend sends it: a user principal with an actor.
 */
function onBehalfOf(userEntityRef: string): string {
  return mockCredentials.service.header({
    subject: 'plugin:todo',
    targetPluginId: 'permission',
    onBehalfOf: mockCredentials.user(userEntityRef),
  });
}

function baseUrlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Discovery that sends the named plugins elsewhere. */
function routingDiscovery(
  elsewhere: Record<string, () => string>,
  own: () => string,
  onAsk?: (pluginId: string) => void,
) {
  const discovery: DiscoveryService = {
    async getBaseUrl(pluginId) {
      onAsk?.(pluginId);
      return `${(elsewhere[pluginId] ?? own)()}/api/${pluginId}`;
    },
    async getExternalBaseUrl(pluginId) {
      return `${(elsewhere[pluginId] ?? own)()}/api/${pluginId}`;
    },
  };
  return createServiceFactory({
    service: coreServices.discovery,
    deps: {},
    factory: () => discovery,
  });
}

/** Discovery that records every plugin it is asked about. */
function countingDiscovery(
  asked: string[],
  own: () => string,
  elsewhere: Record<string, () => string> = {},
) {
  return routingDiscovery(elsewhere, own, pluginId => asked.push(pluginId));
}
