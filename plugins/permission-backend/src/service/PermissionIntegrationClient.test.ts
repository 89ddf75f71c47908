import { mockCredentials, mockServices } from '@plinth/backend-test-utils';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermissionIntegrationClient } from './PermissionIntegrationClient';

const entries = [
  {
    id: '0',
    resourceRef: 'todo:1',
    resourceType: 'todo-item',
    conditions: { rule: 'IS_OWNER', resourceType: 'todo-item', params: {} },
  },
];

describe('PermissionIntegrationClient', () => {
  let server: Server;
  let answer: { status: number; body: unknown };
  const seen: Array<{ url?: string; authorization?: string; body: unknown }> =
    [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => {
        seen.push({
          url: req.url,
          authorization: req.headers.authorization,
          body: JSON.parse(text),
        });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  beforeEach(() => {
    seen.length = 0;
  });

  function client() {
    const { port } = server.address() as AddressInfo;
    return new PermissionIntegrationClient({
      auth: mockServices.auth({ pluginId: 'permission' }),
      discovery: mockServices.discovery({
        baseUrl: `http://127.0.0.1:${port}`,
      }),
    });
  }

  it('posts the entries to the plugin on behalf of the caller and reads its decisions', async () => {
    answer = { status: 200, body: { items: [{ id: '0', result: 'ALLOW' }] } };
    await expect(
      client().applyConditions(
        'todo',
        mockCredentials.user('user:default/jane'),
        entries,
      ),
    ).resolves.toEqual([{ result: 'ALLOW' }]);
    expect(seen).toEqual([
      {
        url: '/api/todo/.well-known/backstage/permissions/apply-conditions',
        authorization: expect.stringMatching(/^Bearer mock-service-token/),
        body: { items: entries },
      },
    ]);
  });

  it("calls with the permission plugin's own token for a caller without credentials", async () => {
    answer = { status: 200, body: { items: [{ id: '0', result: 'DENY' }] } };
    await expect(
      client().applyConditions('todo', mockCredentials.none(), entries),
    ).resolves.toEqual([{ result: 'DENY' }]);
    expect(seen[0].authorization).toMatch(/^Bearer mock-service-token/);
  });

  it('fails with APPLY_CONDITIONS_FAILED when the plugin fails', async () => {
    answer = {
      status: 500,
      body: { error: { name: 'Error', message: 'boom' } },
    };
    const { port } = server.address() as AddressInfo;
    await expect(
      client().applyConditions('todo', mockCredentials.user(), entries),
    ).rejects.toMatchObject({
      code: 'APPLY_CONDITIONS_FAILED',
      message: `Could not apply permission conditions through plugin 'todo' at 'http://127.0.0.1:${port}/api/todo/.well-known/backstage/permissions/apply-conditions': it answered 500. A policy's conditional decision for a resource is resolved by the plugin that owns it; check that plugin is running and see the cause.`,
    });
  });

  it('fails with APPLY_CONDITIONS_FAILED when the plugin cannot be reached', async () => {
    const unreachable = new PermissionIntegrationClient({
      auth: mockServices.auth({ pluginId: 'permission' }),
      discovery: mockServices.discovery({ baseUrl: 'http://127.0.0.1:1' }),
    });
    await expect(
      unreachable.applyConditions('todo', mockCredentials.user(), entries),
    ).rejects.toMatchObject({
      code: 'APPLY_CONDITIONS_FAILED',
      message:
        "Could not apply permission conditions through plugin 'todo' at 'http://127.0.0.1:1/api/todo/.well-known/backstage/permissions/apply-conditions': the request failed. A policy's conditional decision for a resource is resolved by the plugin that owns it; check that plugin is running and see the cause.",
    });
  });

  it('fails with APPLY_CONDITIONS_RESPONSE_INVALID when an answer is missing', async () => {
    answer = { status: 200, body: { items: [] } };
    const { port } = server.address() as AddressInfo;
    await expect(
      client().applyConditions('todo', mockCredentials.user(), entries),
    ).rejects.toMatchObject({
      code: 'APPLY_CONDITIONS_RESPONSE_INVALID',
      message: `Plugin 'todo' answered the apply-conditions request at 'http://127.0.0.1:${port}/api/todo/.well-known/backstage/permissions/apply-conditions' with an invalid body: 1 of 1 requests got no answer. Check that the plugin serves Backstage's permission integration routes.`,
    });
  });

  it('fails with APPLY_CONDITIONS_RESPONSE_INVALID when a result is no decision', async () => {
    answer = {
      status: 200,
      body: { items: [{ id: '0', result: 'CONDITIONAL' }] },
    };
    await expect(
      client().applyConditions('todo', mockCredentials.user(), entries),
    ).rejects.toThrow(
      "with an invalid body: items[0].result must be 'ALLOW' or 'DENY', got the string 'CONDITIONAL'.",
    );
  });
});
