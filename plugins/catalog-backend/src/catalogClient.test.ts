import {
  CATALOG_FILTER_EXISTS,
  CatalogClient,
} from '@backstage/catalog-client';
import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import {
  MockUrlReader,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import { catalogPlugin } from './plugin';

// The published Backstage client drives the plugin over real HTTP, so these
// tests prove wire compatibility with Backstage's catalog API.

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
  [`${base}/catalog/org.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: [team-b]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-b
spec:
  type: team
  parent: team-a
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: jane
spec:
  profile: { displayName: Jane Doe, email: jane@example.com }
  memberOf: [team-a]
`,
  [`${base}/catalog/software.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: pets
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: petstore
  description: Sells pets online
  tags: [java]
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: pets
  providesApis: [petstore-api]
  dependsOn: [resource:pets-db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: adoption-site
  description: Where people find their next pet
spec:
  type: website
  lifecycle: experimental
  owner: team-b
  system: pets
  consumesApis: [petstore-api]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: petkit
  description: Shared helpers for pet services
spec:
  type: library
  lifecycle: production
  owner: team-b
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: petstore-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  system: pets
  definition: |
    openapi: 3.0.0
    info: { title: Petstore, version: 1.0.0 }
    paths: {}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: pets-db
spec:
  type: database
  owner: team-a
  system: pets
`,
  [`${base}/moved/catalog-info.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: moved-service
spec:
  type: service
  lifecycle: experimental
  owner: team-b
`,
  [`${base}/extra/catalog-info.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: extra-service
spec:
  type: service
  lifecycle: experimental
  owner: team-b
`,
};

/** The entities the configured location provides, besides Location entities. */
const fixtureRefs = [
  'api:default/petstore-api',
  'component:default/adoption-site',
  'component:default/petkit',
  'component:default/petstore',
  'group:default/team-a',
  'group:default/team-b',
  'resource:default/pets-db',
  'system:default/pets',
  'user:default/jane',
];

const reader = new MockUrlReader(files);
let client: CatalogClient;
let origin: string;
const janeHeader = mockCredentials.user.header('user:default/jane');

/** A CatalogClient whose requests carry `authorization`. */
function createClient(authorization: string): CatalogClient {
  return new CatalogClient({
    discoveryApi: { getBaseUrl: async pluginId => `${origin}/api/${pluginId}` },
    fetchApi: {
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', authorization);
        return fetch(input, { ...init, headers });
      },
    },
  });
}

function refOf(entity: Entity): string {
  const { kind, metadata } = entity;
  return `${kind}:${metadata.namespace ?? 'default'}/${metadata.name}`.toLowerCase();
}

function relationsOf(entity: Entity | undefined): string[] {
  return (entity?.relations ?? []).map(r => `${r.type} ${r.targetRef}`).sort();
}

function names(entities: Array<Entity | undefined>): Array<string | undefined> {
  return entities.map(e => e?.metadata.name);
}

/** Polls until `check` passes, for work the catalog does in the background. */
async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting until ${what}; last seen: ${JSON.stringify(value)}`,
      );
    }
    await new Promise(done => setTimeout(done, 50));
    value = await read();
  }
  return value;
}

/** Refs of the non-Location entities served with their relations. */
async function servedRefs(): Promise<string[]> {
  const { items } = await client.getEntities({
    fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
  });
  return items
    .filter(e => e.kind !== 'Location' && (e.relations?.length ?? 0) > 0)
    .map(refOf)
    .sort();
}

beforeAll(async () => {
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => reader,
      }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'API',
                  'Resource',
                  'System',
                  'Domain',
                  'Group',
                  'User',
                  'Location',
                ],
              },
            ],
            locations: [{ type: 'url', target: `${base}/catalog/all.yaml` }],
          },
        },
      }),
    ],
  });
  const { port } = server.address() as { port: number };
  origin = `http://127.0.0.1:${port}`;
  client = createClient(janeHeader);
  await eventually(
    servedRefs,
    refs => JSON.stringify(refs) === JSON.stringify(fixtureRefs),
    'every fixture entity is served with relations',
  );
}, 60_000);

describe('catalogPlugin', () => {
  it('lists the entities of any of several filter sets, with only the requested fields', async () => {
    const { items } = await client.getEntities({
      filter: [
        { kind: 'component', 'spec.type': 'service' },
        { kind: 'group' },
      ],
      fields: ['kind', 'metadata.name'],
    });
    expect(names(items).sort()).toEqual(['petstore', 'team-a', 'team-b']);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['kind', 'metadata']);
      expect(Object.keys(item.metadata)).toEqual(['name']);
    }
  });

  it('lists entities that have a field whatever its value', async () => {
    const { items } = await client.getEntities({
      filter: { 'spec.providesApis': CATALOG_FILTER_EXISTS },
      fields: ['metadata.name'],
    });
    expect(names(items)).toEqual(['petstore']);
  });

  it('orders entities by several fields, each in its own direction', async () => {
    const { items } = await client.getEntities({
      filter: { kind: 'component' },
      fields: ['metadata.name'],
      order: [
        { field: 'spec.lifecycle', order: 'asc' },
        { field: 'metadata.name', order: 'desc' },
      ],
    });
    expect(names(items)).toEqual(['adoption-site', 'petstore', 'petkit']);
  });

  it('pages entities with limit and offset', async () => {
    const { items } = await client.getEntities({
      filter: { kind: 'component' },
      fields: ['metadata.name'],
      order: { field: 'metadata.name', order: 'asc' },
      limit: 2,
      offset: 1,
    });
    expect(names(items)).toEqual(['petkit', 'petstore']);
  });

  it('continues a listing after the cursor of its next link', async () => {
    const first = await fetch(
      `${origin}/api/catalog/entities?filter=kind=component&order=asc:metadata.name&fields=metadata.name&limit=2`,
      { headers: { authorization: janeHeader } },
    );
    expect(names((await first.json()) as Entity[])).toEqual([
      'adoption-site',
      'petkit',
    ]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '');
    const after = new URL(next![1], origin).searchParams.get('after')!;
    const { items } = await client.getEntities({
      filter: { kind: 'component' },
      fields: ['metadata.name'],
      order: { field: 'metadata.name', order: 'asc' },
      limit: 2,
      after,
    });
    expect(names(items)).toEqual(['petstore']);
  });

  it('gets entities by refs in the order asked, with undefined for unknown refs', async () => {
    const refs = [
      'component:default/petstore',
      'component:default/missing',
      'group:default/team-a',
    ];
    const all = await client.getEntitiesByRefs({
      entityRefs: refs,
      fields: ['metadata.name'],
    });
    expect(all.items).toEqual([
      { metadata: { name: 'petstore' } },
      undefined,
      { metadata: { name: 'team-a' } },
    ]);
    const filtered = await client.getEntitiesByRefs({
      entityRefs: refs,
      filter: { kind: 'component' },
    });
    expect(names(filtered.items)).toEqual(['petstore', undefined, undefined]);
  });

  it('pages through a query forward and back with cursors and counts every match', async () => {
    const first = await client.queryEntities({
      filter: { kind: 'component' },
      orderFields: { field: 'metadata.name', order: 'asc' },
      fields: ['metadata.name'],
      limit: 2,
    });
    expect(names(first.items)).toEqual(['adoption-site', 'petkit']);
    expect(first.totalItems).toBe(3);
    expect(first.pageInfo.prevCursor).toBeUndefined();

    const second = await client.queryEntities({
      cursor: first.pageInfo.nextCursor!,
      fields: ['metadata.name'],
      limit: 2,
    });
    expect(names(second.items)).toEqual(['petstore']);
    expect(second.totalItems).toBe(3);
    expect(second.pageInfo.nextCursor).toBeUndefined();

    const back = await client.queryEntities({
      cursor: second.pageInfo.prevCursor!,
      fields: ['metadata.name'],
      limit: 2,
    });
    expect(names(back.items)).toEqual(['adoption-site', 'petkit']);
  });

  it('filters a query by a full-text term over the given fields, ignoring case', async () => {
    const response = await client.queryEntities({
      filter: { kind: ['component', 'api', 'system'] },
      fullTextFilter: { term: 'PET', fields: ['metadata.name'] },
      orderFields: { field: 'metadata.name', order: 'asc' },
      fields: ['metadata.name'],
    });
    expect(names(response.items)).toEqual([
      'petkit',
      'pets',
      'petstore',
      'petstore-api',
    ]);
    expect(response.totalItems).toBe(4);
  });

  it('pages through a predicate query forward and back with cursors that carry it', async () => {
    const first = await client.queryEntities({
      query: {
        $all: [
          { kind: 'component' },
          { 'spec.type': { $in: ['service', 'website'] } },
        ],
      },
      orderFields: { field: 'metadata.name', order: 'desc' },
      fields: ['metadata.name'],
      limit: 1,
    });
    expect(names(first.items)).toEqual(['petstore']);
    expect(first.totalItems).toBe(2);
    const second = await client.queryEntities({
      cursor: first.pageInfo.nextCursor!,
      fields: ['metadata.name'],
    });
    expect(names(second.items)).toEqual(['adoption-site']);
    expect(second.pageInfo.nextCursor).toBeUndefined();
    const back = await client.queryEntities({
      cursor: second.pageInfo.prevCursor!,
    });
    expect(names(back.items)).toEqual(['petstore']);
  });

  it('streams the entities of a predicate query merged with a filter', async () => {
    const pages: Entity[][] = [];
    for await (const page of client.streamEntities({
      query: { 'metadata.name': { $hasPrefix: 'pet' } },
      filter: { kind: ['component', 'api'] },
      pageSize: 2,
    })) {
      pages.push(page);
    }
    expect(pages.map(page => page.length)).toEqual([2, 1]);
    expect(names(pages.flat()).sort()).toEqual([
      'petkit',
      'petstore',
      'petstore-api',
    ]);
  });

  it('counts facet values over the entities of a predicate query', async () => {
    const response = await client.getEntityFacets({
      facets: ['spec.lifecycle'],
      query: { $not: { 'spec.owner': 'team-a' } },
      filter: { kind: 'component' },
    });
    expect(response.facets['spec.lifecycle']).toEqual([
      { value: 'experimental', count: 1 },
      { value: 'production', count: 1 },
    ]);
  });

  it('gets entities by refs that also match a predicate', async () => {
    const { items } = await client.getEntitiesByRefs({
      entityRefs: ['component:default/petstore', 'component:default/petkit'],
      query: { 'spec.type': 'library' },
      fields: ['metadata.name'],
    });
    expect(names(items)).toEqual([undefined, 'petkit']);
  });

  it('gets the ancestry of an entity up to the location in config', async () => {
    const { rootEntityRef, items } = await client.getEntityAncestors({
      entityRef: 'component:default/petstore',
    });
    expect(rootEntityRef).toBe('component:default/petstore');
    const parents = Object.fromEntries(
      items.map(item => [refOf(item.entity), item.parentEntityRefs]),
    );
    expect(Object.keys(parents)).toHaveLength(3);
    expect(parents['component:default/petstore']).toEqual([
      'location:default/fixture-catalog',
    ]);
    const [configLocation] = parents['location:default/fixture-catalog'];
    expect(configLocation).toMatch(/^location:default\/generated-[0-9a-f]+$/);
    expect(parents[configLocation]).toEqual([]);
  });

  it('gets an entity by ref with its relations in both directions', async () => {
    const petstore = await client.getEntityByRef('component:default/petstore');
    expect(petstore?.metadata).toMatchObject({
      name: 'petstore',
      namespace: 'default',
      uid: expect.any(String),
      etag: expect.any(String),
      annotations: {
        'backstage.io/managed-by-location': `url:${base}/catalog/software.yaml`,
      },
    });
    expect(relationsOf(petstore)).toEqual([
      'dependsOn resource:default/pets-db',
      'ownedBy group:default/team-a',
      'partOf system:default/pets',
      'providesApi api:default/petstore-api',
    ]);
    const team = await client.getEntityByRef({
      kind: 'Group',
      namespace: 'default',
      name: 'team-a',
    });
    expect(relationsOf(team)).toEqual([
      'hasMember user:default/jane',
      'ownerOf api:default/petstore-api',
      'ownerOf component:default/petstore',
      'ownerOf resource:default/pets-db',
      'ownerOf system:default/pets',
      'parentOf group:default/team-b',
    ]);
  });

  it('answers undefined for an entity ref the catalog does not have', async () => {
    await expect(
      client.getEntityByRef('component:default/nope'),
    ).resolves.toBeUndefined();
  });

  it('counts the values of facets over the filtered entities', async () => {
    const { facets } = await client.getEntityFacets({
      facets: ['kind', 'spec.type'],
      filter: { kind: ['component', 'api'] },
    });
    const sorted = (values: Array<{ value: string; count: number }>) =>
      [...values].sort((a, b) => a.value.localeCompare(b.value));
    expect(sorted(facets.kind)).toEqual([
      { value: 'API', count: 1 },
      { value: 'Component', count: 3 },
    ]);
    expect(sorted(facets['spec.type'])).toEqual([
      { value: 'library', count: 1 },
      { value: 'openapi', count: 1 },
      { value: 'service', count: 1 },
      { value: 'website', count: 1 },
    ]);
  });

  it('validates a valid entity against a location', async () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'new-service' },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'team-a' },
    };
    await expect(
      client.validateEntity(entity, `url:${base}/new/catalog-info.yaml`),
    ).resolves.toEqual({ valid: true });
  });

  it('reports why an invalid entity is invalid', async () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: '-bad-' },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'team-a' },
    };
    const result = await client.validateEntity(
      entity,
      `url:${base}/new/catalog-info.yaml`,
    );
    expect(result).toEqual({
      valid: false,
      errors: [
        expect.objectContaining({
          name: 'EntityValidationError',
          message:
            "Invalid entity 'component:default/-bad-': 'metadata.name' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 5 characters.",
        }),
      ],
    });
  });

  it('analyzes a location that has a catalog file', async () => {
    const analysis = await client.analyzeLocation({
      location: { type: 'url', target: `${base}/extra` },
    });
    expect(analysis.generateEntities).toEqual([]);
    expect(analysis.existingEntityFiles).toEqual([
      {
        location: { type: 'url', target: `${base}/extra/catalog-info.yaml` },
        isRegistered: false,
        entity: expect.objectContaining({
          kind: 'Component',
          metadata: expect.objectContaining({ name: 'extra-service' }),
        }),
      },
    ]);
  });

  it('suggests a component for a location without a catalog file', async () => {
    const analysis = await client.analyzeLocation({
      location: { type: 'url', target: `${base}/empty-repo` },
    });
    expect(analysis.existingEntityFiles).toEqual([]);
    expect(analysis.generateEntities).toEqual([
      expect.objectContaining({
        entity: expect.objectContaining({
          kind: 'Component',
          metadata: { name: 'empty-repo' },
        }),
      }),
    ]);
  });

  it('reads a location in a dry run without registering it', async () => {
    const target = `${base}/extra/catalog-info.yaml`;
    const result = await client.addLocation({ target, dryRun: true });
    expect(result.location).toMatchObject({ type: 'url', target });
    expect(result.exists).toBe(false);
    expect(result.entities.map(refOf)).toContain(
      'component:default/extra-service',
    );
    await expect(client.getLocations()).resolves.toEqual({ items: [] });
  });

  describe('with a registered location', () => {
    const target = `${base}/extra/catalog-info.yaml`;
    let id: string;

    it('registers a location and serves its entities in time', async () => {
      const { location } = await client.addLocation({ target });
      expect(location).toEqual({ id: expect.any(String), type: 'url', target });
      id = location.id;
      const entity = await eventually(
        () => client.getEntityByRef('component:default/extra-service'),
        found => relationsOf(found).includes('ownedBy group:default/team-b'),
        'the registered component is served with its owner',
      );
      expect(entity?.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-origin-location': `url:${target}`,
      });
    }, 30_000);

    it('refuses to register the same location twice with 409', async () => {
      const error = await client
        .addLocation({ target })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: 'ResponseError',
        response: { status: 409 },
        body: {
          error: {
            name: 'ConflictError',
            message: `Location 'url:${target}' already exists with id '${id}'. Delete it first to register it again, or refresh the entities it provides.`,
          },
        },
      });
    });

    it('finds the registered location by id, ref and entity', async () => {
      const location = { id, type: 'url', target };
      await expect(client.getLocations()).resolves.toEqual({
        items: [location],
      });
      await expect(client.getLocationById(id)).resolves.toEqual(location);
      await expect(client.getLocationByRef(`url:${target}`)).resolves.toEqual(
        location,
      );
      await expect(
        client.getLocationByEntity('component:default/extra-service'),
      ).resolves.toEqual(location);
    });

    it('queries registered locations by predicate, in pages', async () => {
      const location = { id, type: 'url', target };
      await expect(
        client.queryLocations({
          query: { type: 'URL', target: { $hasPrefix: `${base}/extra/` } },
          limit: 1,
        }),
      ).resolves.toEqual({ items: [location], totalItems: 1, pageInfo: {} });
      await expect(
        client.queryLocations({
          query: { target: { $hasPrefix: `${base}/nope` } },
        }),
      ).resolves.toEqual({ items: [], totalItems: 0, pageInfo: {} });
      const pages: unknown[] = [];
      for await (const page of client.streamLocations({
        query: { $not: { type: 'file' } },
      })) {
        pages.push(...page);
      }
      expect(pages).toEqual([location]);
    });

    it('points the location at another target, and in time serves its entities instead', async () => {
      const moved = `${base}/moved/catalog-info.yaml`;
      await expect(
        client.updateLocation(id, { target: moved }),
      ).resolves.toEqual({ id, type: 'url', target: moved });
      await expect(client.getLocationById(id)).resolves.toEqual({
        id,
        type: 'url',
        target: moved,
      });
      await eventually(
        async () =>
          names(
            (
              await client.getEntitiesByRefs({
                entityRefs: [
                  'component:default/moved-service',
                  'component:default/extra-service',
                ],
              })
            ).items,
          ),
        found => found[0] === 'moved-service' && found[1] === undefined,
        'the moved location provides its component in place of the old one',
      );
      await client.updateLocation(id, { target });
      await eventually(
        () => client.getEntityByRef('component:default/extra-service'),
        found => relationsOf(found).includes('ownedBy group:default/team-b'),
        'the location is back at its first target, with its component',
      );
    }, 60_000);

    it('refuses to point an unknown location anywhere, or a location at a file', async () => {
      const error = await client
        .updateLocation('00000000-0000-4000-8000-000000000000', { target })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ response: { status: 404 } });
      const file = await client
        .updateLocation(id, { type: 'file', target: '/etc/passwd' })
        .catch((e: unknown) => e);
      expect(file).toMatchObject({
        response: { status: 400 },
        body: { error: { name: 'InputError' } },
      });
    });

    it('answers undefined for unknown location ids, refs and entities', async () => {
      await expect(
        client.getLocationById('00000000-0000-4000-8000-000000000000'),
      ).resolves.toBeUndefined();
      await expect(
        client.getLocationByRef(`url:${base}/unknown.yaml`),
      ).resolves.toBeUndefined();
      await expect(
        client.getLocationByEntity('component:default/nope'),
      ).resolves.toBeUndefined();
    });

    it('removes the location and, in time, its entities', async () => {
      await client.removeLocationById(id);
      await expect(client.getLocationById(id)).resolves.toBeUndefined();
      await eventually(
        () => client.getEntityByRef('component:default/extra-service'),
        found => found === undefined,
        'the component of the removed location is gone',
      );
    }, 30_000);
  });

  it('refreshes an entity by reading its location again', async () => {
    const file = `${base}/catalog/software.yaml`;
    reader.set(
      file,
      files[file].replace('Sells pets online', 'Sells pets and toys online'),
    );
    await client.refreshEntity('component:default/petstore');
    await eventually(
      () => client.getEntityByRef('component:default/petstore'),
      found => found?.metadata.description === 'Sells pets and toys online',
      'the refreshed component has its new description',
    );
  }, 30_000);

  it('refuses to refresh an entity the catalog does not have', async () => {
    const error = await client
      .refreshEntity('component:default/nope')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ResponseError',
      response: { status: 404 },
      body: {
        error: {
          name: 'NotFoundError',
          message:
            "Entity 'component:default/nope' not found; check the ref, written as 'kind:namespace/name', against the catalog.",
        },
      },
    });
  });

  it('removes an entity by uid, after which its location provides it again under a new uid', async () => {
    const before = await client.getEntityByRef('component:default/petkit');
    const uid = before!.metadata.uid!;
    await client.removeEntityByUid(uid);
    const byOldUid = await fetch(
      `${origin}/api/catalog/entities/by-uid/${uid}`,
      {
        headers: { authorization: janeHeader },
      },
    );
    expect(byOldUid.status).toBe(404);
    const after = await eventually(
      () => client.getEntityByRef('component:default/petkit'),
      found =>
        found !== undefined &&
        relationsOf(found).includes('ownedBy group:default/team-b'),
      'the removed component is back with its relations',
    );
    expect(after!.metadata.uid).not.toBe(uid);
    await eventually(
      () => client.getEntityByRef('group:default/team-b'),
      team => relationsOf(team).includes('ownerOf component:default/petkit'),
      'the owner of the component lists it again',
    );
  }, 30_000);

  it('accepts removing an entity by a uid the catalog does not have', async () => {
    await expect(
      client.removeEntityByUid('00000000-0000-4000-8000-000000000000'),
    ).resolves.toBeUndefined();
    await expect(servedRefs()).resolves.toEqual(fixtureRefs);
  });

  it('rejects a client whose token is invalid with 401', async () => {
    const error = await createClient(mockCredentials.user.invalidHeader())
      .getEntities()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ResponseError',
      response: { status: 401 },
      body: {
        error: { name: 'AuthenticationError', message: 'Invalid mock token.' },
      },
    });
  });
});
