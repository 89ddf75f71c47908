import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@plinth/backend-test-utils';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  analyzeResponse,
  createRouterTestPlugin,
  registeredLocation,
  type RouterTestState,
} from './createRouterTestPlugin.fixture';

const databases = TestDatabases.create({ ids: ['PGLITE'] });

const petstore = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'petstore' },
  spec: { type: 'service' },
};
const cursorFix =
  "Pass the 'nextCursor' or 'prevCursor' of an earlier response as it is, or leave 'cursor' out to start over.";

let server: Server;
let state: RouterTestState;

beforeAll(async () => {
  const test = createRouterTestPlugin([petstore]);
  state = test.state;
  ({ server } = await startTestBackend({
    features: [
      test.plugin,
      databases.factory('PGLITE'),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            pagination: { maxLimit: 50 },
            queryLimits: { maxEntityRefs: 50 },
          },
        },
      }),
    ],
  }));
});

describe('createRouter', () => {
  it.each([
    [
      '/entities?filters=kind=api',
      "Unknown query parameter 'filters' for GET /entities; the known ones are 'filter', 'fields', 'order', 'limit', 'offset', 'after'.",
    ],
    [
      '/entities?filter==api',
      "Invalid query parameter 'filter': condition '=api' in '=api' has no key; write conditions as 'key=value' or 'key', separated by commas, as in 'kind=component,spec.type'.",
    ],
    [
      '/entities?fields=relations[0]',
      "Invalid fields: 'relations[0]' has an array index; name object keys only, as in 'metadata.tags'.",
    ],
    [
      '/entities?limit=51',
      "Invalid query parameter 'limit': expected an integer of at most 50 (set by 'catalog.pagination.maxLimit'), got '51'. Ask for fewer and follow the pages.",
    ],
    [
      '/entities?limit=ten',
      "Invalid query parameter 'limit': expected an integer of at least 1, got 'ten'.",
    ],
    [
      '/entities?offset=1&offset=2',
      "Invalid query parameter 'offset': expected one value, got 2 ('1', '2'). Pass 'offset' once.",
    ],
    [
      '/entities?order=metadata.name',
      "Invalid query parameter 'order': expected '<asc or desc>:<field>', as in 'asc:metadata.name', got 'metadata.name'.",
    ],
    [
      '/entities?after=bm90LWpzb24',
      `Invalid query parameter 'after' ('bm90LWpzb24'): it does not decode to JSON. Follow the rel="next" link of an earlier response as it is, or leave 'after' out to start over.`,
    ],
    [
      '/entities/by-query?cursor=abc!',
      `Invalid query parameter 'cursor' ('abc!'): it is not URL-safe base64. ${cursorFix}`,
    ],
    [
      '/entities/by-query?limit=-1',
      "Invalid query parameter 'limit': expected an integer of at least 0, got '-1'.",
    ],
    [
      '/entities/by-query?totalItems=some',
      "Invalid query parameter 'totalItems': expected 'include' or 'exclude', got 'some'.",
    ],
    [
      '/entities/by-query?orderField=metadata.name,up',
      "Invalid query parameter 'orderField': expected '<field>,<asc or desc>', as in 'metadata.name,asc', got 'metadata.name,up'.",
    ],
    [
      '/entity-facets',
      "Missing query parameter 'facet': name at least one field to count values of, as in '?facet=kind&facet=spec.type'.",
    ],
    [
      '/entity-facets?facet=type',
      "Invalid query parameter 'facet': 'type' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    ],
    [
      '/entities/by-uid/x?fields=kind',
      "Unknown query parameter 'fields' for GET /entities/by-uid/:uid; it takes none.",
    ],
    [
      '/locations?limit=1',
      "Unknown query parameter 'limit' for GET /locations; it takes none.",
    ],
  ])('answers GET %s with 400 and why', async (path, message) => {
    const response = await request(server).get(`/api/catalog${path}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({ name: 'InputError', message });
  });

  it.each([
    [
      '/entities/by-refs',
      undefined,
      "Invalid request body for POST /entities/by-refs: expected a JSON object sent with Content-Type 'application/json', got no body.",
    ],
    [
      '/entities/by-refs',
      { entityRefs: 'component:default/petstore' },
      'Invalid request body for POST /entities/by-refs: \'entityRefs\' must be a list of entity ref strings, got "component:default/petstore".',
    ],
    [
      '/entities/by-refs',
      { entityRefs: [], filter: 'kind=api' },
      "Invalid request body for POST /entities/by-refs: unknown key 'filter'; the known ones are 'entityRefs', 'fields', 'query'.",
    ],
    [
      '/entities/by-refs',
      { entityRefs: [], query: { kind: { $regex: 'a' } } },
      `Invalid 'query' in the body of POST /entities/by-refs at 'query.kind': expected a string, number or boolean, or one of '$exists', '$in', '$hasPrefix' or '$contains' alone in an object, got {"$regex":"a"}.`,
    ],
    [
      '/entities/by-refs',
      { entityRefs: [], fields: 'kind' },
      'Invalid request body for POST /entities/by-refs: \'fields\' must be a list of field path strings, got "kind".',
    ],
    [
      '/entities/by-refs',
      { entityRefs: Array.from({ length: 51 }, (_, i) => `component:x${i}`) },
      "Invalid request body for POST /entities/by-refs: 'entityRefs' has 51 refs, more than the 50 that 'catalog.queryLimits.maxEntityRefs' allows. Split the refs over several requests.",
    ],
    [
      '/locations',
      { type: 'url' },
      "Invalid location in the body of POST /locations: 'target' must be a non-empty string, got nothing.",
    ],
    [
      '/locations',
      { type: 'url', target: 'https://x', force: true },
      "Invalid location in the body of POST /locations: unknown key 'force'; the known ones are 'type', 'target' and 'presence'.",
    ],
    [
      '/locations',
      { type: 'url', target: 'https://x', presence: 'maybe' },
      "Invalid location in the body of POST /locations: 'presence' must be 'optional' or 'required', got \"maybe\".",
    ],
    [
      '/locations',
      ['url'],
      'Invalid location in the body of POST /locations: expected an object like { "type": "url", "target": "https://..." }, got ["url"].',
    ],
    [
      '/locations?dryRun=maybe',
      { type: 'url', target: 'https://x' },
      "Invalid query parameter 'dryRun': expected 'true' or 'false', got 'maybe'.",
    ],
    [
      '/locations?onConflict=refresh',
      { type: 'url', target: 'https://x' },
      "Invalid query parameter 'onConflict': only 'reject' is supported, got 'refresh'. To refresh a registered location, send its entity ref to POST /refresh.",
    ],
    [
      '/refresh',
      { entityRef: 42 },
      "Invalid request body for POST /refresh: 'entityRef' must be an entity ref string such as 'component:default/petstore', got 42.",
    ],
    [
      '/analyze-location',
      { location: { type: 'url', target: '' } },
      'Invalid location in the body of POST /analyze-location: \'target\' must be a non-empty string, got "".',
    ],
    ...[
      7,
      '../app-config.local.yaml',
      '.git/config',
      'app-config.yaml',
      'App-Config.Local.yaml',
      'notes.txt',
    ].map((catalogFilename): [string, object, string] => [
      '/analyze-location',
      { location: { type: 'url', target: 'https://x' }, catalogFilename },
      `Invalid request body for POST /analyze-location: 'catalogFilename' must be the plain name of a YAML file, such as 'catalog-info.yaml': letters, digits, '.', '_' and '-', not starting with '.' and not an app-config file, ending in '.yaml' or '.yml', got ${JSON.stringify(catalogFilename)}.`,
    ]),
    [
      '/analyze-location',
      {
        location: { type: 'url', target: 'file:///repo/app-config.local.yaml' },
      },
      "Invalid location 'url:file:///repo/app-config.local.yaml' in the request: its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have.",
    ],
  ])('answers POST %s %j with 400 and why', async (path, body, message) => {
    const response = await request(server)
      .post(`/api/catalog${path}`)
      .send(body);
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({ name: 'InputError', message });
  });

  it('answers a request body that is not JSON with 400, and one over the limit with 413', async () => {
    const malformed = await request(server)
      .post('/api/catalog/entities/by-refs')
      .set('Content-Type', 'application/json')
      .send('{"entityRefs": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /^Request body rejected: it is not valid JSON \(.+\)\. Send a valid JSON document, or set another Content-Type\.$/,
    );
    const huge = await request(server)
      .post('/api/catalog/entities/by-refs')
      .send({ entityRefs: ['x'.repeat(1024 ** 2)] });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toEqual({
      name: 'RequestBodyTooLargeError',
      message:
        "Request body rejected: it is larger than the limit of 1048576 bytes set by 'backend.http.jsonBodyLimit'. Send a smaller body, or raise the limit.",
    });
  });

  it('takes the page size of entity listings from config', async () => {
    const response = await request(server).get('/api/catalog/entities');
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(1);
  });

  it('registers a location with 201, refuses it again with 409, and dry-runs it', async () => {
    const spec = { type: 'url', target: 'https://example.com/new.yaml' };
    const created = await request(server)
      .post('/api/catalog/locations')
      .send(spec);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      location: { id: 'location-2', ...spec },
      entities: [],
    });
    const conflict = await request(server)
      .post('/api/catalog/locations?onConflict=reject')
      .send(spec);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toBe(
      "Location 'url:https://example.com/new.yaml' already exists.",
    );
    const dryRun = await request(server)
      .post('/api/catalog/locations?dryRun=true')
      .send({ ...spec, presence: 'optional' });
    expect(dryRun.status).toBe(201);
    expect(dryRun.body).toEqual({
      location: { id: `url:${spec.target}`, ...spec, presence: 'optional' },
      entities: [],
      exists: true,
    });
    expect(state.created.map(c => c.dryRun)).toEqual([false, false, true]);
  });

  it('lists locations wrapped in data, gets and deletes one by id', async () => {
    const list = await request(server).get('/api/catalog/locations');
    expect(list.status).toBe(200);
    expect(list.body[0]).toEqual({ data: registeredLocation });
    const one = await request(server).get('/api/catalog/locations/location-1');
    expect(one.body).toEqual(registeredLocation);
    const deleted = await request(server).delete(
      '/api/catalog/locations/location-2',
    );
    expect(deleted.status).toBe(204);
    const missing = await request(server).get(
      '/api/catalog/locations/location-2',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("Location 'location-2' not found.");
  });

  it('refuses limit or query beside a cursor of POST /locations/by-query, which carries both', async () => {
    const cursor = Buffer.from(
      JSON.stringify({ afterId: 'location-1', limit: 1 }),
    ).toString('base64url');
    for (const extra of [{ limit: 5 }, { query: { type: 'url' } }]) {
      const res = await request(server)
        .post('/api/catalog/locations/by-query')
        .send({ cursor, ...extra });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        `Invalid request body for POST /locations/by-query: '${Object.keys(extra)[0]}' cannot be combined with 'cursor', which carries the whole query, its limit included. Send only 'cursor'.`,
      );
    }
  });

  it('finds the location an entity came from', async () => {
    const found = await request(server).get(
      '/api/catalog/locations/by-entity/component/default/petstore',
    );
    expect(found.status).toBe(200);
    expect(found.body).toEqual(registeredLocation);
    const missing = await request(server).get(
      '/api/catalog/locations/by-entity/component/default/other',
    );
    expect(missing.status).toBe(404);
  });

  it('refreshes an entity with 200, and 404s for an unknown one', async () => {
    const refreshed = await request(server)
      .post('/api/catalog/refresh')
      .send({ entityRef: 'component:default/petstore' });
    expect(refreshed.status).toBe(200);
    expect(state.refreshed).toEqual(['component:default/petstore']);
    const missing = await request(server)
      .post('/api/catalog/refresh')
      .send({ entityRef: 'component:default/other' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      "Entity 'component:default/other' not found.",
    );
  });

  it('validates an entity through processing, with the location annotations set', async () => {
    const response = await request(server)
      .post('/api/catalog/validate-entity')
      .send({ entity: petstore, location: 'url:https://example.com/a.yaml' });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(state.processed.at(-1)?.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': 'url:https://example.com/a.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://example.com/a.yaml',
    });
  });

  it('sets the location annotations over those the entity brings', async () => {
    const response = await request(server)
      .post('/api/catalog/validate-entity')
      .send({
        entity: {
          ...petstore,
          metadata: {
            name: 'petstore',
            annotations: {
              'backstage.io/managed-by-location': 'file:/repo/x.yaml',
              'backstage.io/managed-by-origin-location': 'file:/repo/x.yaml',
              'backstage.io/techdocs-ref': 'dir:.',
            },
          },
        },
        location: 'url:https://example.com/a.yaml',
      });
    expect(response.status).toBe(200);
    expect(state.processed.at(-1)?.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': 'url:https://example.com/a.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://example.com/a.yaml',
      'backstage.io/techdocs-ref': 'dir:.',
    });
  });

  it.each([
    [
      {
        entity: { ...petstore, metadata: { name: 'invalid' } },
        location: 'url:https://x',
      },
      {
        name: 'InputError',
        message: "Entity 'component:default/invalid' is invalid.",
      },
    ],
    [
      { entity: 'petstore', location: 'url:https://x' },
      {
        name: 'InputError',
        message:
          "Invalid request body for POST /validate-entity: 'entity' must be an entity object with a 'metadata' object, got \"petstore\".",
      },
    ],
    [
      { entity: petstore, location: 'file:/tmp/a.yaml' },
      {
        name: 'InputError',
        message:
          "Invalid request body for POST /validate-entity: location 'file:/tmp/a.yaml' has type 'file', but only 'url' locations can be validated; write it as 'url:<address>'.",
      },
    ],
    [
      { entity: petstore, location: 'url:file:///repo/x.yaml' },
      {
        name: 'InputError',
        message:
          "Invalid location 'url:file:///repo/x.yaml' in the body of POST /validate-entity: its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have.",
      },
    ],
    [
      { entity: petstore },
      {
        name: 'InputError',
        message:
          "Invalid request body for POST /validate-entity: 'location' must be a location ref string such as 'url:https://example.com/catalog-info.yaml', got nothing.",
      },
    ],
    [
      {
        entity: { ...petstore, metadata: { name: 'x', annotations: [] } },
        location: 'url:https://x',
      },
      {
        name: 'InputError',
        message:
          "Invalid request body for POST /validate-entity: 'entity.metadata.annotations' must be an object, got [].",
      },
    ],
  ])(
    'answers validation of %j with 400 and the errors in the body',
    async (body, error) => {
      const response = await request(server)
        .post('/api/catalog/validate-entity')
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ errors: [error] });
    },
  );

  it('analyzes a location', async () => {
    const body = {
      location: { type: 'url', target: 'https://github.com/acme/repo' },
      catalogFilename: 'catalog.yaml',
    };
    const response = await request(server)
      .post('/api/catalog/analyze-location')
      .send(body);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(analyzeResponse);
    expect(state.analyzed).toEqual([body]);
  });
});
