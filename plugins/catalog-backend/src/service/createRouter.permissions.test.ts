import {
  MockAuditorService,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@plinth/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type PermissionsService,
} from '@plinth/backend-plugin-api';
import type { Entity } from '@plinth/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  decideByAccessRestrictions,
  isResourcePermission,
  type PermissionAccessRestrictions,
  type Permission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  createRouterTestPlugin,
  type RouterTestState,
} from './createRouterTestPlugin.fixture';

/*
 * The matrix: users who own some entities directly or through a group, an
 * admin, a read-only scoped token, against every catalog route, under an
 * owners policy whose decisions are conditional. Every read route must
 * agree on what each caller sees; writes follow the policy.
 */

const databases = TestDatabases.create();
const auditor = MockAuditorService.create();

function entity(kind: string, name: string, owner?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name },
    spec: { type: 'service', ...(owner && { owner }) },
    relations: owner ? [{ type: 'ownedBy', targetRef: owner }] : [],
  };
}

const seeds = [
  { entity: entity('Location', 'root') },
  { entity: entity('Component', 'a1', 'user:default/alice') },
  { entity: entity('Component', 'a2', 'user:default/alice') },
  {
    entity: entity('Component', 'b1', 'group:default/team-b'),
    parentRefs: ['location:default/root'],
  },
  { entity: entity('API', 'b2', 'group:default/team-b') },
  { entity: entity('API', 'x1', 'group:default/other') },
  { entity: entity('Group', 'team-b') },
];
const allRefs = seeds.map(s =>
  `${s.entity.kind}:default/${s.entity.metadata.name}`.toLowerCase(),
);

/** The ownership claims of each user, as the user info service would give them. */
const claims: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice'],
  'user:default/bob': ['user:default/bob', 'group:default/team-b'],
};

/** What the owners policy lets each caller read. */
const visible: Record<string, string[]> = {
  alice: [
    'component:default/a1',
    'component:default/a2',
    'group:default/team-b',
  ],
  bob: ['component:default/b1', 'api:default/b2', 'group:default/team-b'],
  admin: allRefs,
  ci: allRefs,
};

const headers: Record<string, string> = {
  alice: mockCredentials.user.header('user:default/alice'),
  bob: mockCredentials.user.header('user:default/bob'),
  admin: mockCredentials.user.header('user:default/admin'),
  ci: mockCredentials.service.header({ subject: 'external:ci' }),
};

/**
 * The owners policy: the admin may do everything; other users read what
 * they own and every group, change what they own, and may not manage
 * locations or validate; service principals are decided by their access
 * restrictions, as the permissions service does.
 */
function decide(
  permission: Permission,
  credentials: BackstageCredentials,
): PolicyDecision {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    accessRestrictions?: PermissionAccessRestrictions;
  };
  if (principal.type === 'service') {
    return decideByAccessRestrictions(permission, principal.accessRestrictions);
  }
  if (principal.userEntityRef === 'user:default/admin') {
    return { result: AuthorizeResult.ALLOW };
  }
  const owned = catalogConditions.isEntityOwner({
    claims: claims[principal.userEntityRef ?? ''] ?? [],
  });
  if (isResourcePermission(permission, 'catalog-entity')) {
    return createCatalogConditionalDecision(
      permission,
      permission.name === 'catalog.entity.read'
        ? {
            anyOf: [
              owned,
              catalogConditions.isEntityKind({ kinds: ['Group'] }),
            ],
          }
        : owned,
    );
  }
  return permission.name === 'catalog.location.read' ||
    permission.name === 'catalog.entity.create'
    ? { result: AuthorizeResult.ALLOW }
    : { result: AuthorizeResult.DENY };
}

const policyPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    async authorize(requests, options) {
      return requests.map(r => {
        const decision = decide(r.permission, options.credentials);
        return decision.result === AuthorizeResult.CONDITIONAL
          ? { result: AuthorizeResult.DENY }
          : decision;
      });
    },
    async authorizeConditional(requests, options) {
      return requests.map(r => decide(r.permission, options.credentials));
    },
  }),
});

/** Gives the `external:ci` token a read-only scope, as a scoped API token has. */
const scopedHttpAuth = createServiceFactory({
  service: coreServices.httpAuth,
  deps: {},
  factory: () => {
    const inner = mockServices.httpAuth({ pluginId: 'catalog' });
    return {
      credentials: (async (req: never, options: never) => {
        const credentials = await inner.credentials(req, options);
        const principal = credentials.principal as { subject?: string };
        return principal.subject === 'external:ci'
          ? {
              ...credentials,
              principal: {
                ...principal,
                accessRestrictions: {
                  permissionAttributes: { action: ['read'] },
                },
              },
            }
          : credentials;
      }) as typeof inner.credentials,
      issueUserCookie: inner.issueUserCookie.bind(inner),
    };
  },
});

function refsOf(items: Array<Entity | null>): string[] {
  return items
    .filter((e): e is Entity => e !== null)
    .map(e => `${e.kind}:default/${e.metadata.name}`.toLowerCase())
    .sort();
}

describe('createRouter', () => {
  describe.each(databases.eachSupportedId())('permissions on %s', id => {
    let server: Server;
    let state: RouterTestState;

    beforeAll(async () => {
      const test = createRouterTestPlugin(seeds);
      state = test.state;
      ({ server } = await startTestBackend({
        features: [
          test.plugin,
          databases.factory(id),
          policyPermissions,
          scopedHttpAuth,
          mockServices.auditor.factory({ auditor }),
        ],
      }));
    });

    const get = (caller: string, path: string) =>
      request(server)
        .get(`/api/catalog${path}`)
        .set('Authorization', headers[caller]);
    const post = (caller: string, path: string, body: object) =>
      request(server)
        .post(`/api/catalog${path}`)
        .set('Authorization', headers[caller])
        .send(body);

    it.each(Object.keys(visible))(
      'serves %s the same entities on every read route, with matching counts',
      async caller => {
        const expected = [...visible[caller]].sort();
        const list = await get(caller, '/entities');
        expect(list.status).toBe(200);
        expect(refsOf(list.body)).toEqual(expected);

        const paged: Entity[] = [];
        let page = await get(caller, '/entities/by-query?limit=2');
        expect(page.body.totalItems).toBe(expected.length);
        paged.push(...page.body.items);
        while (page.body.pageInfo.nextCursor) {
          page = await get(
            caller,
            `/entities/by-query?limit=2&cursor=${page.body.pageInfo.nextCursor}`,
          );
          expect(page.body.totalItems).toBe(expected.length);
          paged.push(...page.body.items);
        }
        expect(refsOf(paged)).toEqual(expected);

        const facets = await get(caller, '/entity-facets?facet=kind');
        const counted = (
          facets.body.facets.kind as Array<{ count: number }>
        ).reduce((sum, f) => sum + f.count, 0);
        expect(counted).toBe(expected.length);

        const byRefs = await post(caller, '/entities/by-refs', {
          entityRefs: allRefs,
        });
        expect(
          (byRefs.body.items as Array<Entity | null>).map((item, index) =>
            item === null ? null : allRefs[index],
          ),
        ).toEqual(allRefs.map(ref => (expected.includes(ref) ? ref : null)));

        for (const ref of allRefs) {
          const [kind, rest] = ref.split(':');
          const [namespace, name] = rest.split('/');
          const byName = await get(
            caller,
            `/entities/by-name/${kind}/${namespace}/${name}`,
          );
          const byUid = await get(
            caller,
            `/entities/by-uid/${state.uids[ref]}`,
          );
          const status = expected.includes(ref) ? 200 : 404;
          expect([ref, byName.status, byUid.status]).toEqual([
            ref,
            status,
            status,
          ]);
        }
      },
    );

    it.each(Object.keys(visible))(
      'serves %s only readable entities from the predicate routes, with matching counts',
      async caller => {
        // Matches every seeded entity, so what is left is the policy's doing.
        const everything = { 'metadata.name': { $exists: true } };
        const expected = [...visible[caller]].sort();
        const paged: Entity[] = [];
        let page = await post(caller, '/entities/by-query', {
          query: everything,
          limit: 2,
        });
        expect(page.status).toBe(200);
        expect(page.body.totalItems).toBe(expected.length);
        paged.push(...page.body.items);
        while (page.body.pageInfo.nextCursor) {
          page = await post(caller, '/entities/by-query', {
            cursor: page.body.pageInfo.nextCursor,
            limit: 2,
          });
          expect(page.body.totalItems).toBe(expected.length);
          paged.push(...page.body.items);
        }
        expect(refsOf(paged)).toEqual(expected);

        const facets = await post(caller, '/entity-facets', {
          facets: ['kind'],
          query: everything,
        });
        const counted = (
          facets.body.facets.kind as Array<{ count: number }>
        ).reduce((sum, f) => sum + f.count, 0);
        expect(counted).toBe(expected.length);

        // A predicate cannot reach past the policy, even one naming what
        // the caller may not read.
        const others = await post(caller, '/entities/by-query', {
          query: { $not: { 'metadata.name': { $in: ['a1', 'a2', 'b1'] } } },
        });
        expect(refsOf(others.body.items)).toEqual(
          expected.filter(ref => !/\/(a1|a2|b1)$/.test(ref)),
        );
      },
    );

    it('refuses to repoint a location without both create and delete permission', async () => {
      const response = await request(server)
        .put('/api/catalog/locations/location-1')
        .set('Authorization', headers.alice)
        .send({ type: 'url', target: 'https://example.com/other.yaml' });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        "Permission 'catalog.location.create' was denied to 'user:default/alice' by the permission policy. Ask an administrator of the permission policy for access.",
      );
    });

    it('leaves ancestors the caller may not read out of the ancestry', async () => {
      const path = '/entities/by-name/component/default/b1/ancestry';
      const bob = await get('bob', path);
      expect(bob.status).toBe(200);
      expect(bob.body.items).toEqual([
        {
          entity: expect.objectContaining({
            metadata: expect.objectContaining({ name: 'b1' }),
          }),
          parentEntityRefs: [],
        },
      ]);
      const admin = await get('admin', path);
      expect(
        admin.body.items.map(
          (i: { parentEntityRefs: string[] }) => i.parentEntityRefs,
        ),
      ).toEqual([['location:default/root'], []]);
      const alice = await get('alice', path);
      expect(alice.status).toBe(404);
    });

    it('refuses a refresh of an entity the caller does not own, naming the permission', async () => {
      expect(
        (await post('bob', '/refresh', { entityRef: 'component:default/b1' }))
          .status,
      ).toBe(200);
      const denied = await post('alice', '/refresh', {
        entityRef: 'component:default/b1',
      });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        "Permission 'catalog.entity.refresh' was denied to 'user:default/alice' on entity 'component:default/b1' by the permission policy. Ask an administrator of the permission policy for access.",
      );
    });

    it('refuses location management and validation that the policy denies', async () => {
      const create = await post('alice', '/locations', {
        type: 'url',
        target: 'https://example.com/x.yaml',
      });
      expect(create.status).toBe(403);
      expect(create.body.error.message).toBe(
        "Permission 'catalog.location.create' was denied to 'user:default/alice' by the permission policy. Ask an administrator of the permission policy for access.",
      );
      expect((await get('alice', '/locations')).status).toBe(200);
      expect(
        (
          await request(server)
            .delete('/api/catalog/locations/location-1')
            .set('Authorization', headers.alice)
        ).status,
      ).toBe(403);
      expect(
        (
          await post('alice', '/analyze-location', {
            location: { type: 'url', target: 'https://example.com/repo' },
          })
        ).status,
      ).toBe(403);
    });

    it('refuses every write of a read-only token, naming the missing scope', async () => {
      const del = await request(server)
        .delete(
          `/api/catalog/entities/by-uid/${state.uids['component:default/a1']}`,
        )
        .set('Authorization', headers.ci);
      expect(del.status).toBe(403);
      expect(del.body.error.message).toBe(
        "Token 'external:ci' may not use 'catalog.entity.delete': its scope allows only action 'read'. Use a token whose scope includes it.",
      );
      const refresh = await post('ci', '/refresh', {
        entityRef: 'component:default/a1',
      });
      expect(refresh.body.error.message).toBe(
        "Token 'external:ci' may not use 'catalog.entity.refresh': its scope allows only action 'read'. Use a token whose scope includes it.",
      );
      const validate = await post('ci', '/validate-entity', {
        entity: seeds[1].entity,
        location: 'url:https://example.com/a1.yaml',
      });
      expect(validate.status).toBe(403);
      expect(validate.body.error.message).toBe(
        "Token 'external:ci' may not use 'catalog.entity.validate': its scope allows only action 'read', and 'catalog.entity.validate' has no action. Use a token whose scope includes it.",
      );
      for (const [path, body] of [
        ['/locations', { type: 'url', target: 'https://example.com/y.yaml' }],
        [
          '/analyze-location',
          { location: { type: 'url', target: 'https://example.com/repo' } },
        ],
      ] as const) {
        expect([path, (await post('ci', path, body)).status]).toEqual([
          path,
          403,
        ]);
      }
      expect(
        (
          await request(server)
            .delete('/api/catalog/locations/location-1')
            .set('Authorization', headers.ci)
        ).status,
      ).toBe(403);
    });

    it('records the decision in the audit events of allowed and denied requests', async () => {
      const before = auditor.events.length;
      await get('alice', '/entities');
      await post('ci', '/refresh', { entityRef: 'component:default/a1' });
      expect(
        auditor.events
          .slice(before)
          .filter(e => e.status !== 'initiated')
          .map(e => [e.eventId, e.status, e.meta?.permission]),
      ).toEqual([
        [
          'entity-fetch',
          'succeeded',
          { name: 'catalog.entity.read', result: 'CONDITIONAL' },
        ],
        [
          'entity-mutate',
          'failed',
          { name: 'catalog.entity.refresh', result: 'DENY' },
        ],
      ]);
    });

    it('deletes only entities that meet the delete conditions', async () => {
      const others = await request(server)
        .delete(
          `/api/catalog/entities/by-uid/${state.uids['component:default/b1']}`,
        )
        .set('Authorization', headers.alice);
      expect(others.status).toBe(403);
      expect(others.body.error.message).toBe(
        `Permission 'catalog.entity.delete' was denied to 'user:default/alice' on the entity with uid '${state.uids['component:default/b1']}' by the permission policy. Ask an administrator of the permission policy for access.`,
      );
      const own = await request(server)
        .delete(
          `/api/catalog/entities/by-uid/${state.uids['component:default/a2']}`,
        )
        .set('Authorization', headers.alice);
      expect(own.status).toBe(204);
      expect(refsOf((await get('alice', '/entities')).body)).toEqual([
        'component:default/a1',
        'group:default/team-b',
      ]);
    });
  });
});
