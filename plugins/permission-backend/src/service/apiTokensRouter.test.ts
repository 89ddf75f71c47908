import { auditorServiceFactory } from '@plinth/backend-defaults/auditor';
import { authServiceFactory } from '@plinth/backend-defaults/auth';
import { httpAuthServiceFactory } from '@plinth/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@plinth/backend-defaults/permissions';
import {
  mockCredentials,
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { AuthorizeResult } from '@plinth/plugin-permission-common';
import request from 'supertest';
import { permissionPlugin } from '../plugin';

const admin = 'Bearer static-admin-token';
const restricted = 'Bearer static-restricted-token';

/**
 * A backend with the real auth, permissions and auditor services, and two
 * static tokens.
 */
async function startBackend() {
  const logger = MockLoggerService.create();
  const { server } = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ logger }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: 'static-admin-token', subject: 'admin' },
                },
                {
                  type: 'static',
                  options: {
                    token: 'static-restricted-token',
                    subject: 'deployer',
                  },
                  accessRestrictions: [{ plugin: 'permission' }],
                },
              ],
            },
          },
        },
      }),
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      auditorServiceFactory,
      permissionPlugin,
    ],
  });
  return { server, logger };
}

describe('createApiTokensRouter', () => {
  // Each backend starts an in-memory PGlite for its tokens, which takes
  // seconds on a loaded machine.
  jest.setTimeout(60_000);

  it('creates, lists, reads and revokes tokens, showing the secret only at creation', async () => {
    const { server, logger } = await startBackend();
    const created = await request(server)
      .post('/api/permission/tokens')
      .set('authorization', admin)
      .send({ name: 'ci', scopes: { pluginIds: ['catalog'], readOnly: true } })
      .expect(201);
    const { secret } = created.body;
    expect(secret).toMatch(/^plinth_pat_/);
    expect(created.body.token).toMatchObject({
      name: 'ci',
      scopes: { pluginIds: ['catalog'], readOnly: true },
      createdBy: 'external:admin',
    });

    const list = await request(server)
      .get('/api/permission/tokens')
      .set('authorization', admin)
      .expect(200);
    expect(list.body.items).toEqual([created.body.token]);
    const one = await request(server)
      .get('/api/permission/tokens/ci')
      .set('authorization', admin)
      .expect(200);
    expect(one.body).toEqual(created.body.token);
    const revoked = await request(server)
      .delete('/api/permission/tokens/ci')
      .set('authorization', admin)
      .expect(200);
    expect(revoked.body).toMatchObject({
      name: 'ci',
      revokedBy: 'external:admin',
      revokedAt: expect.any(String),
    });

    for (const body of [list.text, one.text, revoked.text]) {
      expect(body).not.toContain(secret);
    }
    expect(JSON.stringify(logger.lines)).not.toContain(secret);
    expect(logger.messages('info')).toEqual(
      expect.arrayContaining([
        `Created API token 'ci' for 'external:admin', expiring at ${created.body.token.expiresAt}.`,
        "Revoked API token 'ci' for 'external:admin'.",
        'permission.api-token-create',
        'permission.api-token-revoke',
      ]),
    );
  });

  it('lets a read-only token list tokens but not create them, naming the permission', async () => {
    const { server } = await startBackend();
    const { body } = await request(server)
      .post('/api/permission/tokens')
      .set('authorization', admin)
      .send({ name: 'reader', scopes: { readOnly: true } })
      .expect(201);
    const reader = `Bearer ${body.secret}`;
    await request(server)
      .get('/api/permission/tokens')
      .set('authorization', reader)
      .expect(200);
    const refused = await request(server)
      .post('/api/permission/tokens')
      .set('authorization', reader)
      .send({ name: 'more' })
      .expect(403);
    expect(refused.body.error.message).toBe(
      "'external:api-token:reader' may not create API tokens: permission 'permission.token.create' was denied; ask an admin to grant it in the permission policy.",
    );
  });

  it('refuses to let an API token or a restricted service create tokens', async () => {
    const { server } = await startBackend();
    const { body } = await request(server)
      .post('/api/permission/tokens')
      .set('authorization', admin)
      .send({ name: 'broad' })
      .expect(201);
    const byToken = await request(server)
      .post('/api/permission/tokens')
      .set('authorization', `Bearer ${body.secret}`)
      .send({ name: 'child' })
      .expect(403);
    expect(byToken.body.error.message).toBe(
      "'external:api-token:broad' may not create API tokens: a token created with an API token could outlive its expiry and survive its revocation. Create tokens as a user or with an unrestricted static token.",
    );
    const byRestricted = await request(server)
      .post('/api/permission/tokens')
      .set('authorization', restricted)
      .send({ name: 'child' })
      .expect(403);
    expect(byRestricted.body.error.message).toBe(
      "'external:deployer' may not create API tokens: it has access restrictions, and a new token could be broader than they allow. Create tokens as a user or with an unrestricted static token.",
    );
  });

  it.each([
    [
      ['a'],
      "Invalid API token request: the body must be a JSON object with 'name' and optionally 'scopes' and 'expiresAt', got an array; send it with 'Content-Type: application/json'.",
    ],
    [
      { name: 'ci', secret: 'mine' },
      "Invalid API token request: unknown field 'secret'; the fields are 'name', 'scopes' and 'expiresAt'.",
    ],
    [
      { name: 'ci', expiresAt: 'next week' },
      "Invalid API token request: 'expiresAt' must be an ISO 8601 time such as '2026-03-01T00:00:00Z', got the string 'next week'.",
    ],
    [
      { name: 'CI' },
      "Invalid API token request: 'name' must be lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters, such as 'ci-deploy', got the string 'CI'.",
    ],
    [
      { name: 'ci', scopes: { pluginIds: [] } },
      "Invalid API token request: 'scopes.pluginIds' must be a non-empty list; leave the scope out to allow all, got an array.",
    ],
  ])('answers 400 to the body %j, naming the field', async (body, message) => {
    const { server } = await startBackend();
    const response = await request(server)
      .post('/api/permission/tokens')
      .set('authorization', admin)
      .send(body as object)
      .expect(400);
    expect(response.body.error.message).toBe(message);
  });

  it('answers 409 for a second active token of one name, 404 for an unknown one and 401 without credentials', async () => {
    const { server } = await startBackend();
    const tokens = () =>
      request(server)
        .post('/api/permission/tokens')
        .set('authorization', admin);
    await tokens().send({ name: 'ci' }).expect(201);
    const conflict = await tokens().send({ name: 'ci' }).expect(409);
    expect(conflict.body.error.message).toMatch(
      /^API token 'ci' exists and is active until .*; revoke it first with `yarn plinth token revoke ci`, or pick another name\.$/,
    );
    const missing = await request(server)
      .delete('/api/permission/tokens/nope')
      .set('authorization', admin)
      .expect(404);
    expect(missing.body.error.message).toBe(
      "No API token named 'nope'; list the tokens with `yarn plinth token list`.",
    );
    await request(server).get('/api/permission/tokens').expect(401);
  });

  it('records the user who creates a token, and refuses users the policy denies', async () => {
    const allowed = await startTestBackend({ features: [permissionPlugin] });
    const created = await request(allowed.server)
      .post('/api/permission/tokens')
      .set('authorization', mockCredentials.user.header('user:default/jane'))
      .send({ name: 'ci' })
      .expect(201);
    expect(created.body.token.createdBy).toBe('user:default/jane');

    const denied = await startTestBackend({
      features: [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        permissionPlugin,
      ],
    });
    const refused = await request(denied.server)
      .delete('/api/permission/tokens/ci')
      .set('authorization', mockCredentials.user.header('user:default/jane'))
      .expect(403);
    expect(refused.body.error.message).toBe(
      "'user:default/jane' may not delete API tokens: permission 'permission.token.delete' was denied; ask an admin to grant it in the permission policy.",
    );
  });
});
