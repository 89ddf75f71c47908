import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { Server } from 'node:http';
import request from 'supertest';
import { createRouterTestPlugin } from './createRouterTestPlugin.fixture';

const databases = TestDatabases.create();

function component(
  name: string,
  spec: Entity['spec'],
  tags?: string[],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...(tags && { tags }) },
    spec,
    relations: [],
  };
}

const entities: Entity[] = [
  component('petstore', { type: 'service', owner: 'team-a', replicas: 3 }, [
    'java',
  ]),
  component('pet_shop', { type: 'website', owner: 'team-b', public: true }),
  component('petkit', { type: 'library' }, ['java', 'kotlin']),
  component('billing', { type: 'service', owner: 'team-b' }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a' },
    spec: { type: 'team' },
    relations: [],
  },
];

function names(items: Entity[]): string[] {
  return items.map(e => e.metadata.name).sort();
}

describe('createRouter', () => {
  describe.each(databases.eachSupportedId())('predicate routes on %s', id => {
    let server: Server;

    beforeAll(async () => {
      const test = createRouterTestPlugin(entities);
      ({ server } = await startTestBackend({
        features: [
          test.plugin,
          databases.factory(id),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                queryLimits: { maxPredicateDepth: 4, maxCursorLength: 600 },
              },
            },
          }),
        ],
      }));
    });

    const query = (body: object) =>
      request(server).post('/api/catalog/entities/by-query').send(body);

    it.each([
      [{ kind: 'COMPONENT', 'spec.type': 'Service' }, ['billing', 'petstore']],
      [
        { 'spec.type': { $in: ['website', 'library'] } },
        ['pet_shop', 'petkit'],
      ],
      [{ kind: 'component', 'spec.owner': { $exists: false } }, ['petkit']],
      [{ 'spec.public': { $exists: true } }, ['pet_shop']],
      [{ 'spec.replicas': 3, 'spec.public': { $exists: false } }, ['petstore']],
      [{ 'spec.public': true }, ['pet_shop']],
      [
        { 'metadata.name': { $hasPrefix: 'PET' } },
        ['pet_shop', 'petkit', 'petstore'],
      ],
      // `_` is a LIKE wildcard; a prefix matches it only literally.
      [{ 'metadata.name': { $hasPrefix: 'pet_' } }, ['pet_shop']],
      [{ 'metadata.tags': { $contains: 'kotlin' } }, ['petkit']],
      [{ $not: { kind: 'component' } }, ['team-a']],
      [
        {
          $any: [{ 'spec.owner': 'team-a' }, { 'metadata.tags.kotlin': true }],
        },
        ['petkit', 'petstore'],
      ],
      [
        {
          $all: [
            { kind: 'component' },
            { $not: { 'spec.type': { $in: ['service'] } } },
          ],
        },
        ['pet_shop', 'petkit'],
      ],
      [{ $any: [] }, []],
      [{ 'spec.type': { $in: [] } }, []],
      [{ $all: [] }, ['billing', 'pet_shop', 'petkit', 'petstore', 'team-a']],
    ])(
      'answers the entities that match %j, with their count',
      async (q, expected) => {
        const response = await query({ query: q });
        expect(response.status).toBe(200);
        expect(names(response.body.items)).toEqual(expected);
        expect(response.body.totalItems).toBe(expected.length);
      },
    );

    it('pages a predicate query with cursors that carry it, on either by-query route', async () => {
      const predicate = { 'metadata.name': { $hasPrefix: 'pet' } };
      const first = await query({
        query: predicate,
        orderBy: [{ field: 'metadata.name', order: 'asc' }],
        fields: ['metadata.name'],
        limit: 2,
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        items: [
          { metadata: { name: 'pet_shop' } },
          { metadata: { name: 'petkit' } },
        ],
        totalItems: 3,
      });
      const cursor = first.body.pageInfo.nextCursor as string;
      expect(
        JSON.parse(Buffer.from(cursor, 'base64url').toString()).query,
      ).toEqual(predicate);

      const second = await query({ cursor, fields: ['metadata.name'] });
      expect(second.body.items).toEqual([{ metadata: { name: 'petstore' } }]);
      expect(second.body.totalItems).toBe(3);
      expect(second.body.pageInfo.nextCursor).toBeUndefined();

      const viaGet = await request(server).get(
        `/api/catalog/entities/by-query?cursor=${cursor}&fields=metadata.name`,
      );
      expect(viaGet.body.items).toEqual(second.body.items);

      const back = await query({ cursor: second.body.pageInfo.prevCursor });
      expect(names(back.body.items)).toEqual(['pet_shop', 'petkit']);
    });

    it('combines a predicate with a full text filter and Backstage orderField strings', async () => {
      const response = await query({
        query: { kind: 'component' },
        fullTextFilter: { term: 'PET', fields: ['metadata.name'] },
        orderField: ['metadata.name,desc'],
        totalItems: 'exclude',
      });
      expect(response.status).toBe(200);
      expect(
        (response.body.items as Entity[]).map(e => e.metadata.name),
      ).toEqual(['petstore', 'petkit', 'pet_shop']);
      expect(response.body.totalItems).toBe(0);
    });

    it('counts facets over the entities that match a predicate', async () => {
      const response = await request(server)
        .post('/api/catalog/entity-facets')
        .send({
          facets: ['spec.type'],
          query: { 'metadata.tags': { $contains: 'java' } },
        });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        facets: {
          'spec.type': [
            { value: 'library', count: 1 },
            { value: 'service', count: 1 },
          ],
        },
      });
    });

    it.each([
      [
        '/entities/by-query',
        { query: { kind: { $regex: 'comp.*' } } },
        `Invalid 'query' in the body of POST /entities/by-query at 'query.kind': expected a string, number or boolean, or one of '$exists', '$in', '$hasPrefix' or '$contains' alone in an object, got {"$regex":"comp.*"}.`,
      ],
      [
        '/entities/by-query',
        { query: { $not: { $not: { $not: { $not: { kind: 'api' } } } } } },
        `Invalid 'query' in the body of POST /entities/by-query: it nests deeper than the 4 levels of objects, '$all', '$any' and '$not' that 'catalog.queryLimits.maxPredicateDepth' allows, at 'query.$not.$not.$not.$not'. Flatten it, as in { "$all": [a, b, c] } instead of nested pairs.`,
      ],
      [
        '/entities/by-query',
        { filter: 'kind=api' },
        "Invalid request body for POST /entities/by-query: unknown key 'filter'; the known ones are 'query', 'cursor', 'limit', 'offset', 'orderBy', 'orderField', 'fullTextFilter', 'fields', 'totalItems'.",
      ],
      [
        '/entities/by-query',
        { cursor: 'abc', query: { kind: 'api' } },
        "Invalid request body for POST /entities/by-query: 'query' cannot be combined with 'cursor', which carries the whole query. Send only 'cursor', 'limit' and 'fields'.",
      ],
      [
        '/entities/by-query',
        { limit: '10' },
        `Invalid request body for POST /entities/by-query: 'limit' must be a whole number, got "10".`,
      ],
      [
        '/entities/by-query',
        { orderBy: [{ field: 'metadata.name', order: 'up' }] },
        `Invalid request body for POST /entities/by-query: 'orderBy' must be a list of { "field": "<path>", "order": "asc" or "desc" }, got {"field":"metadata.name","order":"up"}.`,
      ],
      [
        '/entity-facets',
        { query: { kind: 'api' } },
        `Invalid request body for POST /entity-facets: 'facets' is missing or empty; name at least one field to count values of, as in { "facets": ["kind", "spec.type"] }.`,
      ],
      [
        '/entity-facets',
        { facets: [] },
        `Invalid request body for POST /entity-facets: 'facets' is missing or empty; name at least one field to count values of, as in { "facets": ["kind", "spec.type"] }.`,
      ],
      [
        '/entity-facets',
        { facets: ['kind'], query: 'api' },
        `Invalid 'query' in the body of POST /entity-facets at 'query': expected an object such as { "kind": "component" }, got "api"; a bare value names no field to match.`,
      ],
    ])(
      'answers POST %s %j with 400 naming the problem',
      async (path, body, message) => {
        const response = await request(server)
          .post(`/api/catalog${path}`)
          .send(body);
        expect(response.status).toBe(400);
        expect(response.body.error).toEqual({ name: 'InputError', message });
      },
    );

    it('refuses a cursor whose predicate was tampered with, as the predicate itself', async () => {
      const first = await query({ query: { kind: 'component' }, limit: 1 });
      const data = JSON.parse(
        Buffer.from(first.body.pageInfo.nextCursor, 'base64url').toString(),
      );
      const cursor = Buffer.from(
        JSON.stringify({ ...data, query: { kind: { $where: 'x' } } }),
      ).toString('base64url');
      const response = await query({ cursor });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe(
        `Invalid query in parameter 'cursor' at 'query.kind': expected a string, number or boolean, or one of '$exists', '$in', '$hasPrefix' or '$contains' alone in an object, got {"$where":"x"}.`,
      );
    });

    it('refuses to hand out a cursor longer than maxCursorLength', async () => {
      const response = await query({
        query: {
          $any: [
            { kind: 'component' },
            { 'spec.owner': { $in: Array(30).fill('x'.repeat(20)) } },
          ],
        },
        limit: 1,
      });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        /^Invalid query for POST \/entities\/by-query: the cursor to its next page would be \d+ characters long, more than the 600 that 'catalog.queryLimits.maxCursorLength' allows\. Shorten the filters, the predicate or the full text filter, or ask for more at once with 'limit'\.$/,
      );
    });
  });
});
