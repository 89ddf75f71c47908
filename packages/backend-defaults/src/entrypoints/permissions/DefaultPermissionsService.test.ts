import {
  coreServices,
  createBackendPlugin,
  createJsonBodyParser,
  type PermissionsService,
} from '@plinth/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { InputError } from '@plinth/errors';
import {
  AuthorizeResult,
  createPermission,
} from '@plinth/plugin-permission-common';
import { createServer } from 'node:net';
import request from 'supertest';
import { DefaultPermissionsService } from './DefaultPermissionsService';
import { permissionsServiceFactory } from './permissionsServiceFactory';

const itemCreate = createPermission({
  name: 'todo.item.create',
  attributes: { action: 'create' },
});
const itemRead = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
  resourceType: 'todo-item',
});

/** Answers `POST /api/permission/authorize` with what `answer` returns. */
function fakePermissionBackend(
  answer: (body: { items: Array<{ id: string }> }) => unknown,
  seen: Array<{ body: unknown; authorization?: string }>,
) {
  return createBackendPlugin({
    pluginId: 'permission',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          // Like every plugin, the stand-in permission backend parses its
          // own bodies.
          httpRouter.use(createJsonBodyParser());
          httpRouter.use((req, res) => {
            seen.push({
              body: req.body,
              authorization: req.headers.authorization,
            });
            res.json(answer(req.body));
          });
        },
      });
    },
  });
}

async function startWith(options: {
  enabled?: boolean;
  permissionBackend?: ReturnType<typeof fakePermissionBackend>;
}): Promise<PermissionsService> {
  let permissions: PermissionsService | undefined;
  await startTestBackend({
    features: [
      permissionsServiceFactory,
      mockServices.rootConfig.factory({
        data: { permission: { enabled: options.enabled ?? false } },
      }),
      createBackendPlugin({
        pluginId: 'todo',
        register(env) {
          env.registerInit({
            deps: { permissions: coreServices.permissions },
            async init(deps) {
              permissions = deps.permissions;
            },
          });
        },
      }),
      ...(options.permissionBackend ? [options.permissionBackend] : []),
    ],
  });
  return permissions!;
}

const jane = mockCredentials.user('user:default/jane');

describe('DefaultPermissionsService', () => {
  it('allows everything while permission.enabled is not true', async () => {
    const permissions = await startWith({ enabled: false });
    await expect(
      permissions.authorize(
        [
          { permission: itemCreate },
          { permission: itemRead, resourceRef: '7' },
        ],
        { credentials: jane },
      ),
    ).resolves.toEqual([{ result: 'ALLOW' }, { result: 'ALLOW' }]);
    await expect(
      permissions.authorizeConditional([{ permission: itemRead }], {
        credentials: jane,
      }),
    ).resolves.toEqual([{ result: 'ALLOW' }]);
  });

  it('decides for services by their access restrictions, without asking', async () => {
    const permissions = await startWith({ enabled: true });
    const restricted = mockCredentials.service('external:ci', {
      permissionNames: ['todo.item.read'],
    });
    const readOnly = mockCredentials.service('external:ci', {
      permissionAttributes: { action: ['read'] },
    });
    const requests = [
      { permission: itemCreate },
      { permission: itemRead, resourceRef: '7' },
    ];
    await expect(
      permissions.authorize(requests, {
        credentials: mockCredentials.service('plugin:catalog'),
      }),
    ).resolves.toEqual([{ result: 'ALLOW' }, { result: 'ALLOW' }]);
    await expect(
      permissions.authorize(requests, { credentials: restricted }),
    ).resolves.toEqual([{ result: 'DENY' }, { result: 'ALLOW' }]);
    await expect(
      permissions.authorize(requests, { credentials: readOnly }),
    ).resolves.toEqual([{ result: 'DENY' }, { result: 'ALLOW' }]);
  });

  it('asks the permission backend in one batch, on behalf of the user', async () => {
    const seen: Array<{ body: unknown; authorization?: string }> = [];
    const permissions = await startWith({
      enabled: true,
      permissionBackend: fakePermissionBackend(
        body => ({
          items: [...body.items].reverse().map((item, i) => ({
            id: item.id,
            result: i === 0 ? 'DENY' : 'ALLOW',
          })),
        }),
        seen,
      ),
    });
    await expect(
      permissions.authorize(
        [
          { permission: itemCreate },
          { permission: itemRead, resourceRef: '7' },
        ],
        { credentials: jane },
      ),
    ).resolves.toEqual([{ result: 'ALLOW' }, { result: 'DENY' }]);
    expect(seen).toEqual([
      {
        body: {
          items: [
            { id: expect.any(String), permission: itemCreate },
            { id: expect.any(String), permission: itemRead, resourceRef: '7' },
          ],
        },
        authorization: mockCredentials.service.header({
          subject: 'plugin:todo',
          targetPluginId: 'permission',
          onBehalfOf: jane,
        }),
      },
    ]);
  });

  it('returns conditional decisions from authorizeConditional', async () => {
    const conditional = {
      result: 'CONDITIONAL',
      pluginId: 'todo',
      resourceType: 'todo-item',
      conditions: {
        anyOf: [{ rule: 'IS_DONE', resourceType: 'todo-item', params: {} }],
      },
    };
    const permissions = await startWith({
      enabled: true,
      permissionBackend: fakePermissionBackend(
        body => ({
          items: body.items.map(({ id }) => ({ id, ...conditional })),
        }),
        [],
      ),
    });
    await expect(
      permissions.authorizeConditional([{ permission: itemRead }], {
        credentials: jane,
      }),
    ).resolves.toEqual([conditional]);
  });

  it('refuses a conditional decision as an answer to authorize', async () => {
    const permissions = await startWith({
      enabled: true,
      permissionBackend: fakePermissionBackend(
        body => ({
          items: body.items.map(({ id }) => ({
            id,
            result: 'CONDITIONAL',
            pluginId: 'todo',
            resourceType: 'todo-item',
            conditions: { rule: 'IS_DONE', resourceType: 'todo-item' },
          })),
        }),
        [],
      ),
    });
    const promise = permissions.authorize(
      [{ permission: itemRead, resourceRef: '7' }],
      { credentials: jane },
    );
    await expect(promise).rejects.toThrow(
      /^The permission backend at 'http:\/\/127\.0\.0\.1:\d+\/api\/permission\/authorize' answered with an invalid body: items\[0\]\.result must be 'ALLOW' or 'DENY', got the string 'CONDITIONAL'\. Check that 'permission' is a Backstage-compatible permission backend\.$/,
    );
    await expect(promise).rejects.toMatchObject({
      code: 'PERMISSION_RESPONSE_INVALID',
    });
  });

  it('refuses an answer that leaves a request out', async () => {
    const permissions = await startWith({
      enabled: true,
      permissionBackend: fakePermissionBackend(
        body => ({ items: [{ id: body.items[0].id, result: 'ALLOW' }] }),
        [],
      ),
    });
    await expect(
      permissions.authorize(
        [{ permission: itemCreate }, { permission: itemCreate }],
        { credentials: jane },
      ),
    ).rejects.toThrow(/invalid body: 1 of 2 requests got no answer\./);
  });

  it('fails clearly when no permission backend answers', async () => {
    const permissions = await startWith({ enabled: true });
    const promise = permissions.authorize([{ permission: itemCreate }], {
      credentials: jane,
    });
    await expect(promise).rejects.toThrow(
      /^No permission backend answered at 'http:\/\/127\.0\.0\.1:\d+\/api\/permission\/authorize': it answered 404\. 'permission\.enabled' is true, so every permission request goes to the permission backend; install it, or set 'permission\.enabled' to false to allow everything\.$/,
    );
    await expect(promise).rejects.toMatchObject({
      code: 'PERMISSION_BACKEND_UNAVAILABLE',
    });
  });

  it('asks for callers without credentials without a token', async () => {
    const seen: Array<{ body: unknown; authorization?: string }> = [];
    const permissions = await startWith({
      enabled: true,
      permissionBackend: fakePermissionBackend(
        body => ({
          items: body.items.map(({ id }) => ({ id, result: 'DENY' })),
        }),
        seen,
      ),
    });
    await expect(
      permissions.authorize([{ permission: itemCreate }], {
        credentials: mockCredentials.none(),
      }),
    ).resolves.toEqual([{ result: 'DENY' }]);
    expect(seen[0].authorization).toBeUndefined();
  });

  it('fails clearly when the permission backend cannot be reached', async () => {
    const port = await findClosedPort();
    const permissions = DefaultPermissionsService.create({
      pluginId: 'todo',
      auth: mockServices.auth({ pluginId: 'todo' }),
      discovery: mockServices.discovery({
        baseUrl: `http://127.0.0.1:${port}`,
      }),
      config: mockServices.rootConfig({
        data: { permission: { enabled: true } },
      }),
    });
    await expect(
      permissions.authorize([{ permission: itemCreate }], {
        credentials: jane,
      }),
    ).rejects.toThrow(
      `No permission backend answered at 'http://127.0.0.1:${port}/api/permission/authorize': the request failed (ECONNREFUSED). 'permission.enabled' is true, so every permission request goes to the permission backend; install it, or set 'permission.enabled' to false to allow everything.`,
    );
  });

  it('requires the caller credentials', async () => {
    const permissions = await startWith({});
    await expect(
      permissions.authorize([{ permission: itemCreate }], {} as never),
    ).rejects.toThrow(
      new InputError(
        "permissions.authorize() of plugin 'todo' needs the caller's credentials as options.credentials, got undefined; pass { credentials: await httpAuth.credentials(req) }.",
      ),
    );
  });
});

describe('permissionsServiceFactory', () => {
  it('answers a plugin route with permissions off', async () => {
    const { server } = await startTestBackend({
      features: [
        permissionsServiceFactory,
        createBackendPlugin({
          pluginId: 'todo',
          register(env) {
            env.registerInit({
              deps: {
                permissions: coreServices.permissions,
                httpAuth: coreServices.httpAuth,
                httpRouter: coreServices.httpRouter,
              },
              async init({ permissions, httpAuth, httpRouter }) {
                httpRouter.use(async (req, res) => {
                  const [decision] = await permissions.authorize(
                    [{ permission: itemCreate }],
                    { credentials: await httpAuth.credentials(req) },
                  );
                  res.json(decision);
                });
              },
            });
          },
        }),
      ],
    });
    const response = await request(server).post('/api/todo/items').expect(200);
    expect(response.body).toEqual({ result: AuthorizeResult.ALLOW });
  });
});

/** A local port nothing listens on: one just released by a server. */
async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}
