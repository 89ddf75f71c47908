import { spawnBackend, waitUntilReady } from './startBackendProcess';

jest.setTimeout(90_000);

interface Entity {
  kind: string;
  metadata: { name: string; namespace: string };
  relations?: Array<{ type: string; targetRef: string }>;
  status?: { items?: unknown[] };
}

/** The entities of examples/catalog, as `kind:namespace/name`. */
const sampleRefs = [
  'api:default/billing-api',
  'api:default/checkout-api',
  'component:default/billing-service',
  'component:default/checkout-service',
  'component:default/checkout-web',
  'component:default/plinth',
  'domain:default/commerce',
  'group:default/acme',
  'group:default/payments',
  'group:default/platform',
  'location:default/sample-catalog',
  'resource:default/orders-db',
  'system:default/checkout',
  'system:default/developer-platform',
  'user:default/ada',
  'user:default/grace',
];

function refOf(entity: Entity) {
  return `${entity.kind}:${entity.metadata.namespace}/${entity.metadata.name}`.toLocaleLowerCase(
    'en-US',
  );
}

describe('the assembled backend of yarn start', () => {
  it('serves every sample catalog entity with its relations to the development token', async () => {
    const backend = await spawnBackend({
      entry: 'packages/backend/src/index.ts',
      config: {},
      extraArgs: ['--config', 'app-config.yaml'],
      env: { APP_CONFIG_backend_database_connection: '":memory:"' },
    });
    await waitUntilReady(backend);
    await backend.waitForOutput('Development token');
    const token = /Development token .*?: ([\w-]{32})$/m.exec(
      backend.output(),
    )?.[1];
    expect(token).toBeDefined();

    const url = backend.url('/api/catalog/entities/by-query?limit=100');
    const headers = { Authorization: `Bearer ${token}` };
    let entities: Entity[] = [];
    const deadline = Date.now() + 60_000;
    // Processing and stitching are asynchronous: poll until the catalog
    // holds the sample and the relations of its last link are stitched.
    while (Date.now() < deadline) {
      const response = await fetch(url, { headers });
      expect(response.status).toBe(200);
      entities = ((await response.json()) as { items: Entity[] }).items;
      const web = entities.find(e => e.metadata.name === 'checkout-web');
      const db = entities.find(e => e.metadata.name === 'orders-db');
      if (
        sampleRefs.every(ref => entities.some(e => refOf(e) === ref)) &&
        web?.relations?.some(r => r.type === 'consumesApi') &&
        db?.relations?.some(r => r.type === 'dependencyOf')
      ) {
        break;
      }
      await new Promise(r => setTimeout(r, 200));
    }

    const byRef = new Map(entities.map(e => [refOf(e), e]));
    for (const ref of sampleRefs) {
      expect(byRef.has(ref)).toBe(true);
    }
    const relationsOf = (ref: string) =>
      byRef.get(ref)?.relations?.map(r => `${r.type} ${r.targetRef}`);
    expect(relationsOf('component:default/checkout-service')).toEqual(
      expect.arrayContaining([
        'ownedBy group:default/payments',
        'partOf system:default/checkout',
        'providesApi api:default/checkout-api',
        'consumesApi api:default/billing-api',
        'dependsOn resource:default/orders-db',
        'hasPart component:default/checkout-web',
      ]),
    );
    expect(relationsOf('group:default/payments')).toEqual(
      expect.arrayContaining([
        'ownerOf component:default/checkout-service',
        'childOf group:default/acme',
        'hasMember user:default/grace',
      ]),
    );
    expect(relationsOf('user:default/ada')).toEqual([
      'memberOf group:default/platform',
    ]);
    expect(relationsOf('api:default/billing-api')).toEqual(
      expect.arrayContaining([
        'apiConsumedBy component:default/checkout-service',
        'apiProvidedBy component:default/billing-service',
      ]),
    );
    for (const entity of entities) {
      expect({ ref: refOf(entity), items: entity.status?.items ?? [] }).toEqual(
        { ref: refOf(entity), items: [] },
      );
    }

    const unauthenticated = await fetch(url);
    expect(unauthenticated.status).toBe(401);

    backend.child.kill('SIGINT');
    await expect(backend.exited).resolves.toBe(0);
  });
});
