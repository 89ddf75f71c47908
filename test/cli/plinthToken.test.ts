import { Writable } from 'node:stream';
import { authServiceFactory } from '@plinth/backend-defaults/auth';
import { httpAuthServiceFactory } from '@plinth/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@plinth/backend-defaults/permissions';
import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { runTokenCommand } from '@plinth/cli';
import permissionPlugin from '@plinth/plugin-permission-backend';
import express from 'express';
import request from 'supertest';

// `yarn plinth token` against a started backend with the real auth
// service and the permission plugin serving the admin API.

jest.setTimeout(60_000);

/** A plugin with one route, to show that a created token works. */
const todoPlugin = createBackendPlugin({
  pluginId: 'todo',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        httpRouter.use(
          express.Router().get('/items', (_req, res) => {
            res.json({ items: [] });
          }),
        );
      },
    });
  },
});

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: {
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: 'static-admin-token', subject: 'admin' },
                },
              ],
            },
          },
        },
      }),
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      permissionPlugin,
      todoPlugin,
    ],
  });
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}` };
}

/** Runs the command as `yarn plinth token ...`, returning what it printed. */
async function plinthToken(argv: string[], env: NodeJS.ProcessEnv) {
  let output = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      output += String(chunk);
      done();
    },
  });
  await runTokenCommand({ argv, env, stdout });
  return output;
}

describe('yarn plinth token', () => {
  it('creates a token that works, lists it without its secret and revokes it', async () => {
    const { server, url } = await startBackend();
    const env = { PLINTH_URL: url, PLINTH_TOKEN: 'static-admin-token' };

    const created = JSON.parse(
      await plinthToken(
        ['create', 'ci', '--plugin', 'todo', '--read-only', '--json'],
        env,
      ),
    );
    expect(created.token).toMatchObject({
      name: 'ci',
      scopes: { pluginIds: ['todo'], readOnly: true },
      createdBy: 'external:admin',
    });
    await request(server)
      .get('/api/todo/items')
      .set('authorization', `Bearer ${created.secret}`)
      .expect(200);

    const list = await plinthToken(['list'], env);
    expect(list).toMatch(
      /^ci {2}active until \S+ {2}plugins todo; read-only {2}created by external:admin {2}last used \S+\n$/,
    );
    expect(list).not.toContain(created.secret);

    expect(await plinthToken(['revoke', 'ci'], env)).toMatch(
      /^Revoked API token 'ci' at \S+; replicas that cached it refuse it within seconds\.\n$/,
    );
    await request(server)
      .get('/api/todo/items')
      .set('authorization', `Bearer ${created.secret}`)
      .expect(401);
  });

  it('prints the secret once, after what the token may do', async () => {
    const { url } = await startBackend();
    const output = await plinthToken(['create', 'deploy'], {
      PLINTH_URL: url,
      PLINTH_TOKEN: 'static-admin-token',
    });
    const lines = output.split('\n');
    expect(lines[0]).toMatch(
      /^Created API token 'deploy' \(all plugins\), expiring at \S+\.$/,
    );
    expect(lines[1]).toBe(
      'Its secret follows. It is shown only now: store it, for example as a CI secret, and send it as "Authorization: Bearer <secret>".',
    );
    expect(lines[2]).toMatch(/^plinth_pat_/);
  });

  it("reports the backend's refusal with its status and message", async () => {
    const { url } = await startBackend();
    await expect(
      plinthToken(['revoke', 'nope'], {
        PLINTH_URL: url,
        PLINTH_TOKEN: 'static-admin-token',
      }),
    ).rejects.toMatchObject({
      code: 'TOKEN_REQUEST_REFUSED',
      message:
        "Could not revoke API token 'nope': the backend answered 404: No API token named 'nope'; list the tokens with `yarn plinth token list`.",
    });
    await expect(
      plinthToken(['list'], { PLINTH_URL: url, PLINTH_TOKEN: 'wrong-token' }),
    ).rejects.toMatchObject({
      code: 'TOKEN_REQUEST_REFUSED',
      message: expect.stringMatching(
        /^Could not list API tokens: the backend answered 401: Unknown static token/,
      ),
    });
  });

  it('says where no backend answered and how to point at one', async () => {
    const { server, url } = await startBackend();
    await new Promise(resolve => server.close(resolve));
    await expect(
      plinthToken(['list'], { PLINTH_URL: url, PLINTH_TOKEN: 'x' }),
    ).rejects.toMatchObject({
      code: 'TOKEN_BACKEND_UNREACHABLE',
      message: `Could not list API tokens: no backend answered at '${url}' (ECONNREFUSED). Start it with yarn start, or pass its URL with --url or PLINTH_URL.`,
    });
  });
});
