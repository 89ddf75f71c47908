import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type PermissionsService,
} from '@plinth/backend-plugin-api';
import {
  MockUrlReader,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import {
  catalogEntityPermissionResourceRef,
  catalogPermissionExtensionPoint,
  createCatalogConditionalDecision,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  createPermissionRule,
  isResourcePermission,
} from '@plinth/plugin-permission-common';
import { createConditionFactory } from '@plinth/plugin-permission-node';
import request from 'supertest';
import { z } from 'zod';
import { catalogPlugin } from './plugin';

const base = 'https://git.example.com/acme';

/** A rule a module adds, as Backstage's custom rules guide writes one. */
const isInSystem = createPermissionRule({
  name: 'IS_IN_SYSTEM',
  description: 'Matches entities that are part of the system',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({ system: z.string() }),
  apply: (entity: Entity, { system }) => entity.spec?.system === system,
  toQuery: ({ system }) => ({ key: 'spec.system', values: [system] }),
});

const systemRuleModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'system-rule',
  register(env) {
    env.registerInit({
      deps: { permission: catalogPermissionExtensionPoint },
      async init({ permission }) {
        permission.addPermissionRules(isInSystem);
      },
    });
  },
});

/** Jane reads only the store system's entities; everyone else reads all. */
const permissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    async authorize(requests) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
    async authorizeConditional(requests, { credentials }) {
      const user = (credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      return requests.map(({ permission }) =>
        user === 'user:default/jane' &&
        isResourcePermission(permission, 'catalog-entity')
          ? createCatalogConditionalDecision(
              permission,
              createConditionFactory(isInSystem)({ system: 'store' }),
            )
          : { result: AuthorizeResult.ALLOW },
      );
    },
  }),
});

const component = (name: string, system: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a', system },
});

describe('catalogPlugin', () => {
  describe('permissions', () => {
    let server: Parameters<typeof request>[0];

    beforeAll(async () => {
      ({ server } = await startTestBackend({
        features: [
          catalogPlugin,
          systemRuleModule,
          permissions,
          createServiceFactory({
            service: coreServices.urlReader,
            deps: {},
            factory: () =>
              new MockUrlReader({
                [`${base}/entities.yaml`]: [
                  component('cart', 'store'),
                  component('ledger', 'finance'),
                ]
                  .map(entity => JSON.stringify(entity))
                  .join('\n---\n'),
              }),
          }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [{ allow: ['Component', 'Location'] }],
                locations: [{ type: 'url', target: `${base}/entities.yaml` }],
              },
            },
          }),
        ],
      }));
      const deadline = Date.now() + 15_000;
      for (;;) {
        const res = await request(server)
          .get('/api/catalog/entities?filter=kind=component')
          .set(
            'authorization',
            mockCredentials.user.header('user:default/admin'),
          );
        if (res.body.length === 2) break;
        if (Date.now() > deadline)
          throw new Error(
            `Timed out waiting for ingestion: ${res.status} ${JSON.stringify(res.body).slice(0, 600)}`,
          );
        await new Promise(done => setTimeout(done, 50));
      }
    }, 60_000);

    it('lists its permissions and rules, a module rule included, on the metadata route', async () => {
      const res = await request(server)
        .get('/api/catalog/.well-known/backstage/permissions/metadata')
        .set('authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      expect(
        res.body.permissions.map((p: { name: string }) => p.name).sort(),
      ).toEqual([
        'catalog.diagnostics.read',
        'catalog.entity.create',
        'catalog.entity.delete',
        'catalog.entity.read',
        'catalog.entity.refresh',
        'catalog.entity.validate',
        'catalog.location.analyze',
        'catalog.location.create',
        'catalog.location.delete',
        'catalog.location.read',
      ]);
      expect(
        res.body.rules.map((r: { name: string }) => r.name).sort(),
      ).toEqual([
        'HAS_ANNOTATION',
        'HAS_LABEL',
        'HAS_METADATA',
        'HAS_RELATION',
        'HAS_SPEC',
        'IS_ENTITY_KIND',
        'IS_ENTITY_OWNER',
        'IS_IN_SYSTEM',
      ]);
    });

    it("filters reads in SQL with a module rule's query", async () => {
      const res = await request(server)
        .get('/api/catalog/entities?filter=kind=component')
        .set('authorization', mockCredentials.user.header('user:default/jane'));
      expect(res.body.map((e: Entity) => e.metadata.name)).toEqual(['cart']);
    });

    it('applies conditions to entities it loads by ref for the permission backend', async () => {
      const res = await request(server)
        .post('/api/catalog/.well-known/backstage/permissions/apply-conditions')
        .set('authorization', mockCredentials.service.header())
        .send({
          items: [
            {
              id: '1',
              resourceRef: [
                'component:default/cart',
                'component:default/ledger',
              ],
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_IN_SYSTEM',
                resourceType: 'catalog-entity',
                params: { system: 'store' },
              },
            },
          ],
        });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([{ id: '1', result: ['ALLOW', 'DENY'] }]);
    });
  });
});
