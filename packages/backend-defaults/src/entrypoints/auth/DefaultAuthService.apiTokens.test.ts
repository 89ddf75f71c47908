import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  apiTokensServiceRef,
  type ApiTokensService,
} from '@plinth/backend-plugin-api/alpha';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { NotAllowedError } from '@plinth/errors';
import {
  AuthorizeResult,
  createPermission,
} from '@plinth/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { httpAuthServiceFactory } from '../httpAuth';
import { permissionsServiceFactory } from '../permissions';
import { authServiceFactory } from './authServiceFactory';

const itemRead = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
});
const itemCreate = createPermission({
  name: 'todo.item.create',
  attributes: { action: 'create' },
});

/**
 * A plugin whose routes check one permission each, as a plugin enforcing
 * permissions does, and answer 403 naming the permission when denied.
 */
function todoPlugin(pluginId: string) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
        },
        async init({ httpRouter, httpAuth, permissions }) {
          const router = express.Router();
          for (const [method, permission] of [
            ['get', itemRead],
            ['post', itemCreate],
          ] as const) {
            router[method]('/items', async (req, res) => {
              const credentials = await httpAuth.credentials(req);
              const [decision] = await permissions.authorize([{ permission }], {
                credentials,
              });
              if (decision.result !== AuthorizeResult.ALLOW) {
                throw new NotAllowedError(
                  `Permission '${permission.name}' denied.`,
                );
              }
              res.json({ ok: true });
            });
          }
          httpRouter.use(router);
        },
      });
    },
  });
}

async function startBackend() {
  const logger = MockLoggerService.create();
  let apiTokens: ApiTokensService | undefined;
  const { server } = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ logger }),
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      todoPlugin('todo'),
      todoPlugin('other'),
      createBackendPlugin({
        pluginId: 'probe',
        register(env) {
          env.registerInit({
            deps: { tokens: apiTokensServiceRef },
            async init({ tokens }) {
              apiTokens = tokens;
            },
          });
        },
      }),
    ],
  });
  return { server, logger, apiTokens: apiTokens! };
}

describe('DefaultAuthService with API tokens', () => {
  // Each backend starts an in-memory PGlite for its tokens, which takes
  // seconds on a loaded machine.
  jest.setTimeout(60_000);

  it('lets a read-only token read but not write, through the permissions service', async () => {
    const { server, logger, apiTokens } = await startBackend();
    const { secret } = await apiTokens.create({
      name: 'ci',
      scopes: { pluginIds: ['todo'], readOnly: true },
      createdBy: 'user:default/admin',
    });
    const bearer = `Bearer ${secret}`;

    await request(server)
      .get('/api/todo/items')
      .set('authorization', bearer)
      .expect(200);
    const write = await request(server)
      .post('/api/todo/items')
      .set('authorization', bearer)
      .expect(403);
    expect(write.body.error.message).toBe(
      "Permission 'todo.item.create' denied.",
    );

    const otherPlugin = await request(server)
      .get('/api/other/items')
      .set('authorization', bearer)
      .expect(403);
    expect(otherPlugin.body.error.message).toBe(
      "API token 'ci' may not call plugin 'other': its scope 'pluginIds' allows only 'todo'. Create a token whose scopes include plugin 'other'.",
    );
    // Every use is audited through the log sink, and no line holds the secret.
    expect(
      logger.lines.filter(line => line.message === 'todo.api-token-use'),
    ).toHaveLength(2);
    expect(JSON.stringify(logger.lines)).not.toContain(secret);
  });

  it('answers 401 for a revoked or an expired token, naming why', async () => {
    const { server, apiTokens } = await startBackend();
    const { secret } = await apiTokens.create({
      name: 'ci',
      createdBy: 'user:default/admin',
    });
    await request(server)
      .post('/api/todo/items')
      .set('authorization', `Bearer ${secret}`)
      .expect(200);
    const { revokedAt } = await apiTokens.revoke('ci', {
      revokedBy: 'user:default/admin',
    });
    const revoked = await request(server)
      .get('/api/todo/items')
      .set('authorization', `Bearer ${secret}`)
      .expect(401);
    expect(revoked.body.error.message).toBe(
      `API token 'ci' was revoked at ${revokedAt} by 'user:default/admin'; create a new one with \`yarn plinth token create\`.`,
    );

    const { secret: shortLived, token } = await apiTokens.create({
      name: 'short',
      expiresAt: new Date(Date.now() + 60_000),
      createdBy: 'user:default/admin',
    });
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse(token.expiresAt));
    const expired = await request(server)
      .get('/api/todo/items')
      .set('authorization', `Bearer ${shortLived}`)
      .expect(401);
    jest.restoreAllMocks();
    expect(expired.body.error.message).toBe(
      `API token 'short' expired at ${token.expiresAt}; create a new one with \`yarn plinth token create\`.`,
    );
  });

  it('keeps accepting static tokens from config', async () => {
    const { server } = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: 'static-token-1', subject: 'ci' },
                  },
                ],
              },
            },
          },
        }),
        authServiceFactory,
        httpAuthServiceFactory,
        permissionsServiceFactory,
        todoPlugin('todo'),
      ],
    });
    await request(server)
      .post('/api/todo/items')
      .set('authorization', 'Bearer static-token-1')
      .expect(200);
  });
});
