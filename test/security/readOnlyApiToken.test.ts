import { auditorServiceFactory } from '@plinth/backend-defaults/auditor';
import { authServiceFactory } from '@plinth/backend-defaults/auth';
import { httpAuthServiceFactory } from '@plinth/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@plinth/backend-defaults/permissions';
import { createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  apiTokensServiceRef,
  type ApiTokensService,
} from '@plinth/backend-plugin-api/alpha';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { catalogPlugin } from '@plinth/plugin-catalog-backend';
import type { Server } from 'node:http';
import request from 'supertest';

// The acceptance test of scoped API tokens: a read-only token for the
// catalog, created through the API tokens service and verified by the real
// auth service, reads the catalog and gets a 403 naming the missing scope
// on every write route; once revoked or expired it gets a 401 saying so;
// and its secret appears in no log line after creation.

jest.setTimeout(120_000);

const logger = MockLoggerService.create();
let server: Server;
let apiTokens: ApiTokensService;
let secret: string;

beforeAll(async () => {
  ({ server } = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ logger }),
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      auditorServiceFactory,
      catalogPlugin,
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
  }));
  ({ secret } = await apiTokens.create({
    name: 'ci',
    scopes: { pluginIds: ['catalog'], readOnly: true },
    createdBy: 'user:default/admin',
  }));
});

function send(method: 'get' | 'post' | 'delete', path: string, body?: object) {
  const client = request(server);
  const call = client[method](`/api/catalog${path}`).set(
    'authorization',
    `Bearer ${secret}`,
  );
  return body ? call.send(body) : call;
}

const missingScope = (permission: string, noAction = false) =>
  `Token 'external:api-token:ci' may not use '${permission}': its scope allows only action 'read'${noAction ? `, and '${permission}' has no action` : ''}. Use a token whose scope includes it.`;

describe('a read-only catalog API token', () => {
  it('reads the catalog', async () => {
    await send('get', '/entities').expect(200);
    await send('get', '/entities/by-query').expect(200);
    await send('get', '/locations').expect(200);
  });

  it.each([
    [
      'delete',
      '/entities/by-uid/0b9e8f4e-2a51-4c1c-9d6e-000000000000',
      undefined,
      missingScope('catalog.entity.delete'),
    ],
    [
      'post',
      '/refresh',
      { entityRef: 'component:default/a' },
      missingScope('catalog.entity.refresh'),
    ],
    [
      'post',
      '/locations',
      { type: 'url', target: 'https://example.com/catalog-info.yaml' },
      missingScope('catalog.location.create'),
    ],
    [
      'delete',
      '/locations/0b9e8f4e-2a51-4c1c-9d6e-000000000000',
      undefined,
      missingScope('catalog.location.delete'),
    ],
    [
      'post',
      '/validate-entity',
      {
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'a' },
          spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
        },
        location: 'url:https://example.com/catalog-info.yaml',
      },
      missingScope('catalog.entity.validate', true),
    ],
    [
      'post',
      '/analyze-location',
      { location: { type: 'url', target: 'https://example.com/repo' } },
      missingScope('catalog.location.analyze', true),
    ],
  ] as const)(
    'gets 403 on %s %s, naming the missing scope',
    async (method, path, body, message) => {
      const response = await send(method, path, body);
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(message);
    },
  );

  it('gets 401 naming the revocation once revoked, and leaves its secret in no log line', async () => {
    const { revokedAt } = await apiTokens.revoke('ci', {
      revokedBy: 'user:default/admin',
    });
    const response = await send('get', '/entities').expect(401);
    expect(response.body.error.message).toBe(
      `API token 'ci' was revoked at ${revokedAt} by 'user:default/admin'; create a new one with \`yarn plinth token create\`.`,
    );
    expect(
      logger.lines.filter(line => line.message === 'catalog.api-token-use')
        .length,
    ).toBeGreaterThan(0);
    expect(JSON.stringify(logger.lines)).not.toContain(secret);
  });
});
