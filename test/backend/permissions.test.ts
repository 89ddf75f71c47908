import { createHmac, randomBytes } from 'node:crypto';
import { spawnBackend, waitUntilReady } from './startBackendProcess';

// The assembled backend with permissions on, as app-config.production.yaml
// has them: packages/backend must install the permission plugin and the
// owners policy, or it refuses to start.

jest.setTimeout(90_000);

const signingSecret = randomBytes(32).toString('base64url');

/** An HS256 user token, as an identity provider sharing the key signs it. */
function userToken(sub: string, ent: string[]): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'vnd.backstage.user' })}.${encode(
    { typ: 'vnd.backstage.user', sub, ent, iat: now, exp: now + 600 },
  )}`;
  const signature = createHmac('sha256', signingSecret).update(input).digest();
  return `Bearer ${input}.${signature.toString('base64url')}`;
}

// Grace is in payments, which owns checkout-service; platform owns plinth
// and is the admin group here.
const grace = userToken('user:default/grace', [
  'user:default/grace',
  'group:default/payments',
]);
const ada = userToken('user:default/ada', [
  'user:default/ada',
  'group:default/platform',
]);

describe('the assembled backend with permissions on', () => {
  it('lets users read, owners refresh what they own and admins everything, and refuses the rest with 403', async () => {
    const backend = await spawnBackend({
      entry: 'packages/backend/src/index.ts',
      config: {},
      extraArgs: ['--config', 'app-config.yaml'],
      env: {
        APP_CONFIG_backend_database_connection: '":memory:"',
        APP_CONFIG_backend_auth_keys: JSON.stringify([
          { secret: signingSecret },
        ]),
        APP_CONFIG_permission_enabled: 'true',
        APP_CONFIG_permission_ownersPolicy_adminGroups:
          '["group:default/platform"]',
      },
    });
    await waitUntilReady(backend);

    const get = (path: string, authorization: string) =>
      fetch(backend.url(path), { headers: { authorization } });
    const refresh = (entityRef: string, authorization: string) =>
      fetch(backend.url('/api/catalog/refresh'), {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ entityRef }),
      });

    const deadline = Date.now() + 60_000;
    let plinth: Response | undefined;
    while (Date.now() < deadline) {
      plinth = await get(
        '/api/catalog/entities/by-name/component/default/plinth',
        grace,
      );
      if (plinth.status === 200) {
        break;
      }
      await new Promise(r => setTimeout(r, 200));
    }
    expect(plinth?.status).toBe(200);

    expect(
      (await refresh('component:default/checkout-service', grace)).status,
    ).toBe(200);
    const denied = await refresh('component:default/plinth', grace);
    expect(denied.status).toBe(403);
    expect(
      ((await denied.json()) as { error: { message: string } }).error.message,
    ).toContain("'catalog.entity.refresh'");
    expect((await refresh('component:default/plinth', ada)).status).toBe(200);

    const anonymous = await fetch(backend.url('/api/catalog/entities'));
    expect(anonymous.status).toBe(401);

    backend.child.kill('SIGINT');
    await expect(backend.exited).resolves.toBe(0);
  });
});
