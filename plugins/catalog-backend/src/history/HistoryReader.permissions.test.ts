import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type PermissionsService,
} from '@plinth/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@plinth/backend-test-utils';
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
import {
  janeHeader,
  provided,
  readFeed,
  startHistoryBackend,
} from './historyBackend.fixture';
import type { EntityChange } from './historyRows';

const databases = TestDatabases.create({ ids: ['PGLITE'] });
const adminHeader = mockCredentials.user.header('user:default/admin');

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

const component = (name: string, system: string) =>
  provided('Component', name, {
    type: 'service',
    lifecycle: 'production',
    owner: 'team-a',
    system,
  });

describe('HistoryReader', () => {
  let catalog: Awaited<ReturnType<typeof startHistoryBackend>>;
  let server: Parameters<typeof request>[0];
  let ledgerUid: string;
  beforeAll(async () => {
    catalog = await startHistoryBackend({
      knex: await databases.init('PGLITE'),
      features: [systemRuleModule, permissions],
    });
    server = catalog.backend.server;
    await catalog.provide([
      component('cart', 'store'),
      component('ledger', 'finance'),
      component('till', 'finance'),
    ]);
    await catalog.settle();
    const ledger = await request(server)
      .get('/api/catalog/entities/by-name/component/default/ledger')
      .set('authorization', adminHeader);
    ledgerUid = (ledger.body as Entity).metadata.uid!;
    // The till moves into the store system; the ledger is deleted.
    await catalog.provide([
      component('cart', 'store'),
      component('till', 'store'),
    ]);
    await catalog.settle();
  }, 60_000);
  afterAll(async () => {
    await catalog?.backend.stop();
  });

  const changesOf = (items: EntityChange[]) =>
    items.map(c => [c.type, c.entityRef, 'patch' in c]);

  it('leaves out of the feed the changes of entities the reader may not read, judged on the form after each change', async () => {
    const jane = await readFeed(server, janeHeader);
    expect(changesOf(jane.items)).toEqual([
      ['created', 'component:default/cart', false],
      // Jane could not read the till before, so no patch tells about it.
      ['updated', 'component:default/till', false],
    ]);
    const admin = await readFeed(server, adminHeader);
    expect(changesOf(admin.items)).toEqual(
      expect.arrayContaining([
        ['created', 'component:default/ledger', false],
        ['updated', 'component:default/till', true],
        ['deleted', 'component:default/ledger', false],
      ]),
    );
    // The cursor moves past what Jane may not read, so her polls stay cheap.
    expect(jane.nextCursor).toBe(admin.nextCursor);
  });

  it('answers 404 for the history of an entity the reader may not read, also once it is deleted', async () => {
    const paths = [
      `/entities/by-uid/${ledgerUid}/history`,
      '/entities/by-name/component/default/ledger/history',
    ];
    for (const path of paths) {
      const jane = await request(server)
        .get(`/api/catalog${path}`)
        .set('authorization', janeHeader);
      expect(jane.status).toBe(404);
      const admin = await request(server)
        .get(`/api/catalog${path}`)
        .set('authorization', adminHeader);
      expect(admin.status).toBe(200);
      expect((admin.body.items as EntityChange[]).map(c => c.type)).toEqual([
        'deleted',
        'created',
      ]);
    }
  });

  it('answers 404 to a cursor into the history of an entity the reader may not read, with no cursor to follow', async () => {
    const admin = await request(server)
      .get(`/api/catalog/entities/by-uid/${ledgerUid}/history?limit=1`)
      .set('authorization', adminHeader);
    expect(admin.body.nextCursor).toEqual(expect.any(String));
    for (const cursor of [admin.body.nextCursor as string, '99999999']) {
      const jane = await request(server)
        .get(
          `/api/catalog/entities/by-uid/${ledgerUid}/history?limit=1&cursor=${cursor}`,
        )
        .set('authorization', janeHeader);
      expect(jane.status).toBe(404);
      expect(jane.body.nextCursor).toBeUndefined();
    }
  });

  it('pages through the history of an entity the reader may read now, also past entries it may not', async () => {
    const page = await request(server)
      .get(
        '/api/catalog/entities/by-name/component/default/till/history?order=asc&limit=1',
      )
      .set('authorization', janeHeader);
    // The till's creation was in the finance system, which Jane may not read.
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([]);
    const next = await request(server)
      .get(
        `/api/catalog/entities/by-name/component/default/till/history?order=asc&limit=1&cursor=${page.body.nextCursor}`,
      )
      .set('authorization', janeHeader);
    expect((next.body.items as EntityChange[]).map(c => c.type)).toEqual([
      'updated',
    ]);
  });
});
