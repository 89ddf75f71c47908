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

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'petstore' },
    spec: { type: 'service' },
    relations: [],
  },
];

const nul =
  'it contains a NUL character (\\u0000), which the catalog can neither store nor match; remove it';

function cursorOf(data: object): string {
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

describe('createRouter', () => {
  describe.each(databases.eachSupportedId())('NUL characters on %s', id => {
    let server: Server;

    beforeAll(async () => {
      const test = createRouterTestPlugin(entities);
      ({ server } = await startTestBackend({
        features: [
          test.plugin,
          databases.factory(id),
          mockServices.rootConfig.factory({ data: {} }),
        ],
      }));
    });

    // The HTTP router refuses %00 in any URL and the body parser NUL in
    // any JSON string, before the catalog's own guards; both must hold.
    it.each([
      '/entities?filter=kind=%00',
      '/entities/by-query?fullTextFilterTerm=a%00',
      '/entity-facets?facet=kind&filter=kind=%00',
      '/diagnostics?owner=team%00',
      '/processing-errors?location=url:a%00',
    ])('answers GET %s with 400', async url => {
      const res = await request(server).get(`/api/catalog${url}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("encoded NUL character ('%00')");
    });

    it.each([
      ['/entities/by-query', { query: { kind: 'a\u0000' } }],
      [
        '/entities/by-refs',
        {
          entityRefs: [
            'component:default/petstore',
            'component:default/\u0000',
          ],
        },
      ],
      ['/locations/by-query', { query: { target: { $hasPrefix: '\u0000' } } }],
    ])('answers POST %s %j with 400', async (path, body) => {
      const res = await request(server).post(`/api/catalog${path}`).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('contains a NUL character');
    });

    // A cursor is base64, so no outer guard sees what it decodes to.
    it.each([
      ['POST', '/locations/by-query', { afterId: 'a\u0000', limit: 1 }],
      ['POST', '/entities/by-query', { query: { kind: '\u0000' } }],
      ['GET', '/entities/by-query', { version: 1, after: ['\u0000'] }],
      ['GET', '/processing-errors', { after: 'component:default/\u0000' }],
    ])(
      'refuses a %s %s cursor that decodes to a NUL',
      async (method, path, data) => {
        const cursor = cursorOf(data);
        const res =
          method === 'GET'
            ? await request(server).get(
                `/api/catalog${path}?${path === '/processing-errors' ? 'after' : 'cursor'}=${cursor}`,
              )
            : await request(server)
                .post(`/api/catalog${path}`)
                .send({ cursor });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(`: ${nul}.`);
      },
    );
  });
});
