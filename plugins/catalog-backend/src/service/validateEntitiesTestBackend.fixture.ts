import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type PermissionsService,
} from '@plinth/backend-plugin-api';
import {
  MockUrlReader,
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestDatabases,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  type Permission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import type { Server } from 'node:http';
import request from 'supertest';
import { catalogPlugin } from '../plugin';

/** Where the test catalog's files are served from. */
export const base = 'https://git.example.com/acme';
/** The location whose file the batches of the tests stand for. */
export const catalogFile = `${base}/catalog-info.yaml`;

export function component(
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...metadata },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-a',
      ...spec,
    },
  };
}

export function group(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type: 'team', children: [] },
  };
}

/** What the catalog serves from {@link catalogFile}. */
export const servedFromFile = [
  group('team-a'),
  component('petstore', {}, { description: 'Sells pets' }),
  component('legacy', { lifecycle: 'deprecated' }),
];

/** What the catalog serves from `apis.yaml`: an API whose definition is read from a file. */
export const petstoreApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'petstore-api' },
  spec: {
    type: 'openapi',
    lifecycle: 'production',
    owner: 'team-a',
    definition: { $text: './petstore.md' },
  },
};

/** Callers: admin may do everything, jane reads groups only, mallory may not validate. */
export const callers = {
  admin: mockCredentials.user.header('user:default/admin'),
  jane: mockCredentials.user.header('user:default/jane'),
  mallory: mockCredentials.user.header('user:default/mallory'),
};

function decide(
  permission: Permission,
  credentials: BackstageCredentials,
): PolicyDecision {
  const user = (credentials.principal as { userEntityRef?: string })
    .userEntityRef;
  if (user === 'user:default/mallory') {
    return permission.name === 'catalog.entity.validate'
      ? { result: AuthorizeResult.DENY }
      : { result: AuthorizeResult.ALLOW };
  }
  if (
    user === 'user:default/jane' &&
    isResourcePermission(permission, 'catalog-entity')
  ) {
    return createCatalogConditionalDecision(
      permission,
      catalogConditions.isEntityKind({ kinds: ['Group'] }),
    );
  }
  return { result: AuthorizeResult.ALLOW };
}

const permissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    async authorize(requests, { credentials }) {
      return requests.map(r => {
        const decision = decide(r.permission, credentials);
        return decision.result === AuthorizeResult.CONDITIONAL
          ? { result: AuthorizeResult.DENY }
          : decision;
      });
    },
    async authorizeConditional(requests, { credentials }) {
      return requests.map(r => decide(r.permission, credentials));
    },
  }),
});

/**
 * Starts the real catalog plugin on the given test database, reading
 * {@link catalogFile}, a file with group `team-b` and one with
 * {@link petstoreApi}, and waits until it serves all five entities. `files` adds URLs the reader serves;
 * `reader`, when given, is the reader that serves them, for tests that watch what is read.
 */
export async function startValidationBackend(
  databases: TestDatabases,
  id: Parameters<TestDatabases['init']>[0],
  options: {
    files?: Record<string, string>;
    config?: object;
    reader?: MockUrlReader;
  } = {},
): Promise<Server> {
  const yaml = (entities: Entity[]) =>
    entities.map(e => JSON.stringify(e)).join('\n---\n');
  const reader = options.reader ?? new MockUrlReader();
  for (const [url, content] of Object.entries({
    [catalogFile]: yaml(servedFromFile),
    [`${base}/people.yaml`]: yaml([group('team-b')]),
    [`${base}/apis.yaml`]: yaml([petstoreApi]),
    [`${base}/petstore.md`]: 'Confidential pet supplier list',
    ...options.files,
  })) {
    reader.set(url, content);
  }
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      permissions,
      databases.factory(id),
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => reader,
      }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          catalog: {
            rules: [{ allow: ['Component', 'API', 'Group', 'Location'] }],
            locations: [
              { type: 'url', target: catalogFile },
              { type: 'url', target: `${base}/people.yaml` },
              { type: 'url', target: `${base}/apis.yaml` },
            ],
            queryLimits: { maxValidateEntities: 6 },
          },
        },
      }),
    ],
  });
  await waitForEntities(server, 5);
  return server;
}

async function waitForEntities(server: Server, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(server)
      .get(
        '/api/catalog/entities?filter=kind=component&filter=kind=group&filter=kind=api',
      )
      .set('authorization', callers.admin);
    if (Array.isArray(res.body) && res.body.length === count) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${count} entities: ${res.status} ${JSON.stringify(res.body).slice(0, 600)}`,
      );
    }
    await new Promise(done => setTimeout(done, 50));
  }
}
