import type { Server } from 'node:http';
import { permissionsServiceFactory } from '@plinth/backend-defaults';
import type {
  BackendFeature,
  BackstagePrincipalAccessRestrictions,
  JsonObject,
} from '@plinth/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestDatabases,
} from '@plinth/backend-test-utils';
import request from 'supertest';

// What the policy tests share: a backend with the real permission
// backend, the real permissions service and the catalog, serving a small
// organisation, and requests as its users and as a scoped API token.

const base = 'https://git.example.com';
const files: Record<string, string> = {
  [`${base}/catalog/all.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: fixture-catalog
spec:
  targets: [./org.yaml, ./software.yaml]
`,
  [`${base}/catalog/org.yaml`]: [
    group('team-a'),
    group('team-b'),
    group('admins'),
    user('jane', 'team-a'),
    user('bob', 'team-b'),
    user('root', 'admins'),
  ].join('---\n'),
  [`${base}/catalog/software.yaml`]: [
    component('petstore', 'team-a'),
    component('petkit', 'team-a'),
    component('website', 'team-b'),
    component('janes-notebook', 'user:jane'),
  ].join('---\n'),
  // Registered by the tests, not configured.
  [`${base}/extra/catalog-info.yaml`]: component('extra-service', 'team-a'),
};

/** A location the tests may register: one component of team-a. */
export const extraLocation = {
  type: 'url',
  target: `${base}/extra/catalog-info.yaml`,
};

/** Every entity of the fixture, without the Location entity. */
export const fixtureRefs = [
  'component:default/janes-notebook',
  'component:default/petkit',
  'component:default/petstore',
  'component:default/website',
  'group:default/admins',
  'group:default/team-a',
  'group:default/team-b',
  'user:default/bob',
  'user:default/jane',
  'user:default/root',
];

/** The groups each user owns through, as a sign-in resolver puts them. */
const ownership = {
  'user:default/jane': ['group:default/team-a'],
  'user:default/bob': ['group:default/team-b'],
  'user:default/root': ['group:default/admins'],
};

/** A started backend and requests against its catalog. */
export interface CatalogWithPolicy {
  server: Server;
  /** Requests as `userRef`. */
  as(userRef: string): request.Agent;
  /** Requests as a service principal without access restrictions. */
  asService(): request.Agent;
  /**
   * Requests as a service principal with the access restrictions given
   * as `scopedToken`, as the auth service makes of a scoped API token.
   */
  asScopedToken(): request.Agent;
  /** The uid of an entity of the fixture. */
  uidOf(ref: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the backend with `policy` (the module that sets the policy) and
 * `permission.enabled: true` merged with `permission`, and waits until
 * the catalog serves every fixture entity. The catalog uses `database`
 * (from `TestDatabases`), or an empty PGlite schema.
 */
export async function startCatalogWithPolicy(options: {
  policy: BackendFeature;
  permission?: JsonObject;
  scopedToken?: BackstagePrincipalAccessRestrictions;
  database?: Awaited<ReturnType<TestDatabases['init']>>;
}): Promise<CatalogWithPolicy> {
  const backend = await startTestBackend({
    features: [
      import('@plinth/plugin-permission-backend'),
      import('@plinth/plugin-catalog-backend'),
      options.policy,
      permissionsServiceFactory,
      mockServices.userInfo.factory({ ownership }),
      // The mock auth services have no token for restricted service
      // principals, so requests without a token stand for the scoped one.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.service(
          'external:scoped-token',
          options.scopedToken ?? {},
        ),
      }),
      mockServices.urlReader.factory(files),
      mockServices.database.factory(
        options.database ? { knex: options.database } : undefined,
      ),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true, ...options.permission },
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
            locations: [{ type: 'url', target: `${base}/catalog/all.yaml` }],
          },
        },
      }),
    ],
  });
  const agent = (authorization?: string) => {
    const client = request.agent(backend.server);
    return authorization ? client.set('authorization', authorization) : client;
  };
  const asService = () =>
    agent(mockCredentials.service.header({ subject: 'external:ci' }));
  await waitForFixture(asService());
  return {
    server: backend.server,
    as: userRef => agent(mockCredentials.user.header(userRef)),
    asService,
    asScopedToken: () => agent(),
    async uidOf(ref) {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      const response = await asService()
        .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
        .expect(200);
      return (response.body as { metadata: { uid: string } }).metadata.uid;
    },
    stop: () => backend.stop(),
  };
}

/** Polls until the catalog serves every fixture entity. */
async function waitForFixture(client: request.Agent): Promise<void> {
  const deadline = Date.now() + 20_000;
  let served: string[] = [];
  while (Date.now() < deadline) {
    const response = await client
      .get('/api/catalog/entities?fields=kind,metadata.name,relations')
      .expect(200);
    served = (
      response.body as Array<{
        kind: string;
        metadata: { name: string };
        relations?: unknown[];
      }>
    )
      .filter(e => e.kind !== 'Location' && (e.relations?.length ?? 0) > 0)
      .map(e => `${e.kind}:default/${e.metadata.name}`.toLowerCase())
      .sort();
    if (JSON.stringify(served) === JSON.stringify(fixtureRefs)) {
      return;
    }
    await new Promise(done => setTimeout(done, 50));
  }
  throw new Error(
    `The catalog did not serve the fixture within 20 s; it served ${JSON.stringify(served)}.`,
  );
}

function group(name: string): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: ${name} }
spec: { type: team, children: [] }
`;
}

function user(name: string, memberOf: string): string {
  return `apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ${name} }
spec: { memberOf: [${memberOf}] }
`;
}

function component(name: string, owner: string): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ${name} }
spec: { type: service, lifecycle: production, owner: '${owner}' }
`;
}
