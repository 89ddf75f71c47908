import {
  coreServices,
  createBackendPlugin,
  createJsonBodyParser,
  type BackstageCredentials,
} from '@plinth/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import { ResponseError, ServiceUnavailableError } from '@plinth/errors';
import { createServer } from 'node:net';
import { CATALOG_FILTER_EXISTS } from './catalogRequest';
import { catalogServiceRef, type CatalogService } from './CatalogService';
import { DefaultCatalogService } from './DefaultCatalogService';

/** What the fake catalog saw of one request. */
interface SeenRequest {
  method: string;
  path: string;
  /** The query parameters in order, decoded. */
  query: Array<[string, string]>;
  authorization?: string;
  credentials: BackstageCredentials;
  body: unknown;
}

interface Reply {
  status: number;
  body?: unknown;
}

let seen: SeenRequest[] = [];
let reply: (request: SeenRequest) => Reply = () => ({ status: 200 });

/** Stands in for the catalog: records each request, answers with `reply`. */
const fakeCatalogPlugin = createBackendPlugin({
  pluginId: 'catalog',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        // Like every plugin, the stand-in catalog parses its own bodies.
        httpRouter.use(createJsonBodyParser());
        httpRouter.use(async (req, res) => {
          const url = new URL(req.originalUrl, 'http://catalog');
          const request: SeenRequest = {
            method: req.method,
            path: req.path,
            query: [...url.searchParams],
            authorization: req.headers.authorization,
            credentials: await httpAuth.credentials(req),
            body: req.body as unknown,
          };
          seen.push(request);
          const { status, body } = reply(request);
          res.status(status);
          if (body === undefined) {
            res.end();
          } else {
            res.json(body);
          }
        });
      },
    });
  },
});

let catalog: CatalogService;

/** A plugin that gets the catalog client the way any plugin would. */
const consumerPlugin = createBackendPlugin({
  pluginId: 'consumer',
  register(env) {
    env.registerInit({
      deps: { catalogService: catalogServiceRef },
      async init({ catalogService }) {
        catalog = catalogService;
      },
    });
  },
});

const jane = mockCredentials.user('user:default/jane');
const options = { credentials: jane };
let baseUrl: string;

function entity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service' },
  };
}

function errorBody(name: string, message: string, statusCode: number) {
  return { error: { name, message }, response: { statusCode } };
}

beforeAll(async () => {
  const { server } = await startTestBackend({
    features: [fakeCatalogPlugin, consumerPlugin],
  });
  const { port } = server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${port}/api/catalog`;
});

beforeEach(() => {
  seen = [];
  reply = () => ({ status: 200 });
});

describe('catalogServiceRef', () => {
  it('gives plugins a DefaultCatalogService when the backend has no factory for it', () => {
    expect(catalog).toBeInstanceOf(DefaultCatalogService);
  });
});

describe('DefaultCatalogService', () => {
  it('calls the catalog with a plugin request token on behalf of the caller', async () => {
    reply = () => ({ status: 200, body: [] });
    await catalog.getEntities(undefined, options);
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/entities',
        query: [],
        authorization: mockCredentials.service.header({
          subject: 'plugin:consumer',
          targetPluginId: 'catalog',
          onBehalfOf: jane,
        }),
        // The catalog sees the user, with the calling plugin as actor.
        credentials: {
          ...jane,
          principal: {
            ...jane.principal,
            actor: { type: 'service', subject: 'plugin:consumer' },
          },
        },
        body: undefined,
      },
    ]);
  });

  it('encodes filter sets, fields, order and paging of getEntities as catalog-client does', async () => {
    reply = () => ({ status: 200, body: [entity('a')] });
    const response = await catalog.getEntities(
      {
        filter: [
          { kind: ['API', 'Component'], 'spec.owner': CATALOG_FILTER_EXISTS },
          { 'metadata.name': 'a,b=c' },
          {},
        ],
        fields: ['metadata.name', 'kind'],
        order: [
          { field: 'metadata.name', order: 'asc' },
          { field: 'kind', order: 'desc' },
        ],
        offset: 5,
        limit: 10,
        after: 'cursor-1',
      },
      options,
    );
    expect(response).toEqual({ items: [entity('a')] });
    expect(seen[0].query).toEqual([
      ['filter', 'kind=API,kind=Component,spec.owner'],
      ['filter', 'metadata.name=a,b=c'],
      ['fields', 'metadata.name,kind'],
      ['order', 'asc:metadata.name'],
      ['order', 'desc:kind'],
      ['offset', '5'],
      ['limit', '10'],
      ['after', 'cursor-1'],
    ]);
  });

  it('recognises the CATALOG_FILTER_EXISTS of @backstage/catalog-client', async () => {
    reply = () => ({ status: 200, body: [] });
    const backstageExists = Symbol.for(
      'CATALOG_FILTER_EXISTS_0e15b590c0b343a2bae3e787e84c2111',
    );
    await catalog.getEntities(
      { filter: { 'metadata.annotations.x': backstageExists } },
      options,
    );
    expect(seen[0].query).toEqual([['filter', 'metadata.annotations.x']]);
  });

  it('posts refs to by-refs with the filter in the query and answers missing entities as undefined', async () => {
    reply = () => ({ status: 200, body: { items: [entity('a'), null] } });
    const response = await catalog.getEntitiesByRefs(
      {
        entityRefs: ['component:default/a', 'component:default/missing'],
        fields: ['metadata.name'],
        filter: { kind: 'component' },
      },
      options,
    );
    expect(response.items).toEqual([entity('a'), undefined]);
    expect(seen).toMatchObject([
      {
        method: 'POST',
        path: '/entities/by-refs',
        query: [['filter', 'kind=component']],
        body: {
          entityRefs: ['component:default/a', 'component:default/missing'],
          fields: ['metadata.name'],
        },
      },
    ]);
  });

  it('splits more than 1000 refs into several by-refs requests and keeps their order', async () => {
    reply = request => ({
      status: 200,
      body: {
        items: (request.body as { entityRefs: string[] }).entityRefs.map(ref =>
          entity(ref.split('/')[1]),
        ),
      },
    });
    const refs = Array.from(
      { length: 2001 },
      (_, i) => `component:default/c${i}`,
    );
    const response = await catalog.getEntitiesByRefs(
      { entityRefs: refs },
      options,
    );
    expect(
      seen.map(r => (r.body as { entityRefs: string[] }).entityRefs.length),
    ).toEqual([1000, 1000, 1]);
    expect(response.items.map(e => e?.metadata.name)).toEqual(
      refs.map(ref => ref.split('/')[1]),
    );
  });

  it('encodes the first request of queryEntities with order fields, full-text filter and count mode', async () => {
    const page = {
      items: [entity('a')],
      totalItems: 7,
      pageInfo: { nextCursor: 'next' },
    };
    reply = () => ({ status: 200, body: page });
    const response = await catalog.queryEntities(
      {
        filter: { kind: 'component' },
        limit: 1,
        offset: 2,
        orderFields: [
          { field: 'metadata.name', order: 'desc' },
          { field: 'kind', order: 'asc' },
        ],
        fullTextFilter: {
          term: '  Serv ',
          fields: ['metadata.name', 'spec.type'],
        },
        fields: ['metadata'],
        totalItems: 'exclude',
      },
      options,
    );
    expect(response).toEqual(page);
    expect(seen[0]).toMatchObject({
      path: '/entities/by-query',
      query: [
        ['filter', 'kind=component'],
        ['offset', '2'],
        ['orderField', 'metadata.name,desc'],
        ['orderField', 'kind,asc'],
        ['totalItems', 'exclude'],
        ['fullTextFilterTerm', 'Serv'],
        ['fullTextFilterFields', 'metadata.name,spec.type'],
        ['limit', '1'],
        ['fields', 'metadata'],
      ],
    });
  });

  it('leaves out a blank full-text term of queryEntities', async () => {
    reply = () => ({
      status: 200,
      body: { items: [], totalItems: 0, pageInfo: {} },
    });
    await catalog.queryEntities({ fullTextFilter: { term: '   ' } }, options);
    expect(seen[0].query).toEqual([]);
  });

  it('sends only the cursor, limit and fields when queryEntities continues from a cursor', async () => {
    reply = () => ({
      status: 200,
      body: { items: [], totalItems: 0, pageInfo: { prevCursor: 'prev' } },
    });
    await catalog.queryEntities(
      { cursor: 'abc=', limit: 3, fields: ['kind'] },
      options,
    );
    expect(seen[0].query).toEqual([
      ['cursor', 'abc='],
      ['limit', '3'],
      ['fields', 'kind'],
    ]);
  });

  it('streams every page of entities by following next cursors', async () => {
    reply = request => {
      const cursor = request.query.find(([key]) => key === 'cursor')?.[1];
      return {
        status: 200,
        body:
          cursor === undefined
            ? {
                items: [entity('a'), entity('b')],
                totalItems: 3,
                pageInfo: { nextCursor: 'page-2' },
              }
            : { items: [entity('c')], totalItems: 3, pageInfo: {} },
      };
    };
    const pages: string[][] = [];
    for await (const page of catalog.streamEntities(
      { filter: { kind: 'component' }, pageSize: 2, fields: ['metadata'] },
      options,
    )) {
      pages.push(page.map(e => e.metadata.name));
    }
    expect(pages).toEqual([['a', 'b'], ['c']]);
    expect(seen.map(r => r.query)).toEqual([
      [
        ['filter', 'kind=component'],
        ['limit', '2'],
        ['fields', 'metadata'],
      ],
      [
        ['cursor', 'page-2'],
        ['limit', '2'],
        ['fields', 'metadata'],
      ],
    ]);
  });

  it('gets ancestors by the parts of the entity ref', async () => {
    const ancestry = {
      rootEntityRef: 'location:default/root',
      items: [{ entity: entity('a'), parentEntityRefs: [] }],
    };
    reply = () => ({ status: 200, body: ancestry });
    await expect(
      catalog.getEntityAncestors({ entityRef: 'component:default/a' }, options),
    ).resolves.toEqual(ancestry);
    expect(seen[0].path).toBe('/entities/by-name/component/default/a/ancestry');
  });

  it('gets an entity by a string or compound ref, escaping each part', async () => {
    reply = () => ({ status: 200, body: entity('a') });
    await expect(
      catalog.getEntityByRef('component:default/a', options),
    ).resolves.toEqual(entity('a'));
    await catalog.getEntityByRef(
      { kind: 'Component', namespace: 'team a', name: 'x/y' },
      options,
    );
    expect(seen.map(r => r.path)).toEqual([
      '/entities/by-name/component/default/a',
      '/entities/by-name/Component/team%20a/x%2Fy',
    ]);
  });

  it('answers undefined for an entity the catalog does not have', async () => {
    reply = () => ({
      status: 404,
      body: errorBody('NotFoundError', "No entity 'component:default/x'", 404),
    });
    await expect(
      catalog.getEntityByRef('component:default/x', options),
    ).resolves.toBeUndefined();
  });

  it('throws a ResponseError naming the URL, status and the catalog error when a request fails', async () => {
    reply = () => ({
      status: 500,
      body: errorBody('Error', 'Database unavailable', 500),
    });
    const error = await catalog
      .getEntityByRef('component:default/a', options)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({
      statusCode: 500,
      message: `Request to '${baseUrl}/entities/by-name/component/default/a' failed with 500, Error: Database unavailable`,
    });
  });

  it('deletes an entity by uid', async () => {
    reply = () => ({ status: 204 });
    await catalog.removeEntityByUid('4a1f/uid', options);
    expect(seen[0]).toMatchObject({
      method: 'DELETE',
      path: '/entities/by-uid/4a1f%2Fuid',
    });
  });

  it('throws when removing an entity the catalog does not have', async () => {
    reply = () => ({
      status: 404,
      body: errorBody('NotFoundError', "No entity with uid 'u1'", 404),
    });
    await expect(catalog.removeEntityByUid('u1', options)).rejects.toThrow(
      `Request to '${baseUrl}/entities/by-uid/u1' failed with 404, NotFoundError: No entity with uid 'u1'`,
    );
  });

  it('posts the entity ref to refresh', async () => {
    await catalog.refreshEntity('component:default/a', options);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/refresh',
      body: { entityRef: 'component:default/a' },
    });
  });

  it('asks for each facet and filter set of getEntityFacets', async () => {
    const facets = { facets: { kind: [{ value: 'Component', count: 2 }] } };
    reply = () => ({ status: 200, body: facets });
    await expect(
      catalog.getEntityFacets(
        { facets: ['kind', 'spec.type'], filter: { kind: 'component' } },
        options,
      ),
    ).resolves.toEqual(facets);
    expect(seen[0]).toMatchObject({
      path: '/entity-facets',
      query: [
        ['facet', 'kind'],
        ['facet', 'spec.type'],
        ['filter', 'kind=component'],
      ],
    });
  });

  it('lists locations and finds one by its location ref', async () => {
    const a = { id: 'l1', type: 'url', target: 'https://example.com/a.yaml' };
    const b = { id: 'l2', type: 'file', target: '/srv/b.yaml' };
    reply = () => ({ status: 200, body: [{ data: a }, { data: b }] });
    await expect(catalog.getLocations(undefined, options)).resolves.toEqual({
      items: [a, b],
    });
    await expect(
      catalog.getLocationByRef('file:/srv/b.yaml', options),
    ).resolves.toEqual(b);
    await expect(
      catalog.getLocationByRef('url:https://example.com/other.yaml', options),
    ).resolves.toBeUndefined();
  });

  it('gets a location by id, and undefined for an unknown id', async () => {
    const a = { id: 'l1', type: 'url', target: 'https://example.com/a.yaml' };
    reply = request =>
      request.path === '/locations/l1'
        ? { status: 200, body: a }
        : {
            status: 404,
            body: errorBody('NotFoundError', "No location 'l2'", 404),
          };
    await expect(catalog.getLocationById('l1', options)).resolves.toEqual(a);
    await expect(
      catalog.getLocationById('l2', options),
    ).resolves.toBeUndefined();
  });

  it('registers a location with type url by default and passes dry runs as a query flag', async () => {
    const location = { id: 'l1', type: 'url', target: 'https://e.com/a.yaml' };
    reply = () => ({ status: 201, body: { location, entities: [] } });
    await expect(
      catalog.addLocation({ target: 'https://e.com/a.yaml' }, options),
    ).resolves.toEqual({ location, entities: [] });
    await catalog.addLocation(
      { type: 'file', target: '/srv/a.yaml', dryRun: true },
      options,
    );
    expect(seen).toMatchObject([
      {
        method: 'POST',
        path: '/locations',
        query: [],
        body: { type: 'url', target: 'https://e.com/a.yaml' },
      },
      {
        method: 'POST',
        path: '/locations',
        query: [['dryRun', 'true']],
        body: { type: 'file', target: '/srv/a.yaml' },
      },
    ]);
  });

  it('throws a ResponseError with status 409 for a location that is already registered', async () => {
    reply = () => ({
      status: 409,
      body: errorBody(
        'ConflictError',
        "Location 'url:https://e.com/a.yaml' already exists",
        409,
      ),
    });
    const error = await catalog
      .addLocation({ target: 'https://e.com/a.yaml' }, options)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ResponseError',
      statusCode: 409,
      message: `Request to '${baseUrl}/locations' failed with 409, ConflictError: Location 'url:https://e.com/a.yaml' already exists`,
    });
  });

  it('deletes a location by id', async () => {
    reply = () => ({ status: 204 });
    await catalog.removeLocationById('l1', options);
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: '/locations/l1' });
  });

  it('gets the location of an entity, and undefined when the catalog has none', async () => {
    const a = { id: 'l1', type: 'url', target: 'https://example.com/a.yaml' };
    reply = request =>
      request.path.endsWith('/a')
        ? { status: 200, body: a }
        : { status: 404, body: errorBody('NotFoundError', 'No entity', 404) };
    await expect(
      catalog.getLocationByEntity('component:default/a', options),
    ).resolves.toEqual(a);
    await expect(
      catalog.getLocationByEntity(
        { kind: 'component', namespace: 'default', name: 'b' },
        options,
      ),
    ).resolves.toBeUndefined();
    expect(seen.map(r => r.path)).toEqual([
      '/locations/by-entity/component/default/a',
      '/locations/by-entity/component/default/b',
    ]);
  });

  it('reports a valid entity as valid', async () => {
    await expect(
      catalog.validateEntity(entity('a'), 'url:https://e.com/a.yaml', options),
    ).resolves.toEqual({ valid: true });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/validate-entity',
      body: { entity: entity('a'), location: 'url:https://e.com/a.yaml' },
    });
  });

  it('reports the errors of an invalid entity', async () => {
    const errors = [{ name: 'InputError', message: "Invalid 'metadata.name'" }];
    reply = () => ({ status: 400, body: { errors } });
    await expect(
      catalog.validateEntity(entity('-a'), 'url:https://e.com/a.yaml', options),
    ).resolves.toEqual({ valid: false, errors });
  });

  it('throws when validate-entity answers 400 without entity errors', async () => {
    reply = () => ({
      status: 400,
      body: errorBody('InputError', "Invalid location ref 'nope'", 400),
    });
    await expect(
      catalog.validateEntity(entity('a'), 'nope', options),
    ).rejects.toThrow(
      `Request to '${baseUrl}/validate-entity' failed with 400, InputError: Invalid location ref 'nope'`,
    );
  });

  it('posts the location to analyze and returns the analysis', async () => {
    const analysis = { existingEntityFiles: [], generateEntities: [] };
    reply = () => ({ status: 200, body: analysis });
    const request = {
      location: { type: 'url', target: 'https://e.com/repo' },
      catalogFilename: 'catalog.yaml',
    };
    await expect(catalog.analyzeLocation(request, options)).resolves.toEqual(
      analysis,
    );
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/analyze-location',
      body: request,
    });
  });

  it('throws ServiceUnavailableError naming the URL when the catalog cannot be reached', async () => {
    const port = await closedPort();
    const unreachable = DefaultCatalogService.create({
      discovery: mockServices.discovery({
        baseUrl: `http://127.0.0.1:${port}`,
      }),
      auth: mockServices.auth({ pluginId: 'consumer' }),
    });
    const error = await unreachable
      .getEntities({ limit: 1 }, options)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toBe(
      `Could not reach the catalog at 'http://127.0.0.1:${port}/api/catalog/entities?limit=1'; check that the catalog plugin runs and that discovery points at it.`,
    );
    expect((error as Error).cause).toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
    });
  });
});

/** A port nothing listens on: one the OS just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise(done => server.close(done));
  return port;
}
