import {
  MockAuditorService,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import http from 'node:http';
import type { Server } from 'node:http';
import request from 'supertest';
import { DefaultEntitiesCatalog } from '../entities/DefaultEntitiesCatalog';
import { createRouterTestPlugin } from './createRouterTestPlugin.fixture';

const databases = TestDatabases.create();

/** More matches than five batches of 500 hold, each entity about 2 KB. */
const matchCount = 2500;
const padding = 'x'.repeat(2000);

function component(index: number): Entity {
  const name = `c${String(index).padStart(4, '0')}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, description: padding },
    spec: { type: index % 2 === 0 ? 'service' : 'website' },
    relations: [],
  };
}

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-a' },
  spec: { type: 'team' },
  relations: [],
};

describe('createRouter', () => {
  describe.each(databases.eachSupportedId())(
    'GET /entities without limit on %s',
    id => {
      let server: Server;
      let capped: Server;
      const auditor = MockAuditorService.create();
      // Created in each test: the Jest config restores spies before each.
      let batches: jest.SpiedFunction<DefaultEntitiesCatalog['listEntities']>;

      beforeAll(async () => {
        const test = createRouterTestPlugin([
          ...Array.from({ length: matchCount }, (_, i) => component(i)),
          group,
        ]);
        ({ server } = await startTestBackend({
          features: [
            test.plugin,
            databases.factory(id),
            mockServices.auditor.factory({ auditor }),
          ],
        }));
        const small = createRouterTestPlugin([
          ...Array.from({ length: 30 }, (_, i) => component(i)),
          group,
        ]);
        ({ server: capped } = await startTestBackend({
          features: [
            small.plugin,
            databases.factory(id),
            mockServices.rootConfig.factory({
              data: { catalog: { pagination: { maxUnpagedEntities: 20 } } },
            }),
          ],
        }));
      }, 180_000);

      beforeEach(() => {
        batches = jest.spyOn(DefaultEntitiesCatalog.prototype, 'listEntities');
      });

      it('answers every match, read in keyset batches of 500 that each start after the last', async () => {
        const response = await request(server).get(
          '/api/catalog/entities?filter=kind=component&fields=metadata.name',
        );
        expect(response.status).toBe(200);
        expect(response.headers.link).toBeUndefined();
        expect(response.headers['transfer-encoding']).toBe('chunked');
        const names = (response.body as Entity[]).map(e => e.metadata.name);
        expect(names).toHaveLength(matchCount);
        expect(new Set(names).size).toBe(matchCount);
        expect(names).toEqual([...names].sort());

        const requests = batches.mock.calls.map(([r]) => r);
        expect(requests.map(r => r.limit)).toEqual([500, 500, 500, 500, 500]);
        expect(requests[0].after).toBeUndefined();
        // Each batch starts after the last entity of the one before.
        const results = await Promise.all(
          batches.mock.results.map(
            r => r.value as ReturnType<DefaultEntitiesCatalog['listEntities']>,
          ),
        );
        for (let i = 1; i < requests.length; i += 1) {
          expect(requests[i].after).toEqual(results[i - 1].endPosition);
        }
      });

      it('lets the answer cache keep the batches of a listing within its budget, which the same listing asked again reads', async () => {
        await request(server).get(
          '/api/catalog/entities?filter=kind=component&fields=metadata.name',
        );
        const requests = batches.mock.calls.map(([r]) => r);
        expect(requests).toHaveLength(5);
        expect(requests.every(r => r.cache === undefined)).toBe(true);
      });

      it('reads the batches of a listing past the cache budget uncached', async () => {
        // The first batch of 500 entities of 2 KB passes the 1 MiB budget.
        const response = await request(server).get(
          '/api/catalog/entities?filter=kind=component',
        );
        expect(response.body).toHaveLength(matchCount);
        const requests = batches.mock.calls.map(([r]) => r);
        expect(requests.map(r => r.cache)).toEqual([
          undefined,
          false,
          false,
          false,
          false,
        ]);
      });

      it('writes a page of more than 1 MiB in parts, with the Content-Length of the whole', async () => {
        for (const path of [
          '/api/catalog/entities?filter=kind=component&limit=2500',
          '/api/catalog/entities/by-query?filter=kind=component&limit=2500',
        ]) {
          // Uncompressed, so the header is the one the route set.
          const response = await request(server)
            .get(path)
            .set('Accept-Encoding', 'identity');
          expect(response.status).toBe(200);
          expect(response.headers['transfer-encoding']).toBeUndefined();
          expect(Number(response.headers['content-length'])).toBe(
            Buffer.byteLength(response.text),
          );
          const body = JSON.parse(response.text) as
            Entity[] | { items: Entity[]; totalItems: number };
          const items = Array.isArray(body) ? body : body.items;
          expect(items).toHaveLength(matchCount);
          expect(items[2499].metadata.description).toBe(padding);
        }
      });

      it('answers an empty array when nothing matches', async () => {
        const response = await request(server).get(
          '/api/catalog/entities?filter=kind=api',
        );
        expect(response.status).toBe(200);
        expect(response.body).toEqual([]);
      });

      it('streams from an offset or after a cursor, and pages with limit as before', async () => {
        const page = await request(server).get(
          '/api/catalog/entities?filter=kind=component&fields=metadata.name&limit=1000',
        );
        expect(page.body).toHaveLength(1000);
        const next = /<([^>]+)>; rel="next"/.exec(page.headers.link)![1];
        const after = new URL(next, 'http://localhost').searchParams.get(
          'after',
        );
        const rest = await request(server).get(
          `/api/catalog/entities?filter=kind=component&fields=metadata.name&after=${after}`,
        );
        expect(rest.body).toHaveLength(matchCount - 1000);
        expect(rest.body[0].metadata.name).toBe('c1000');
        const fromOffset = await request(server).get(
          '/api/catalog/entities?filter=kind=component&fields=metadata.name&offset=2400',
        );
        expect(fromOffset.body).toHaveLength(100);
      });

      it('stops reading batches once the client has gone', async () => {
        const { port } = server.address() as { port: number };
        await new Promise<void>((resolve, reject) => {
          const req = http.get(
            `http://127.0.0.1:${port}/api/catalog/entities`,
            res => {
              // Takes the first chunk, then goes away without reading on,
              // so the server's writes back up and it waits for a drain
              // that never comes.
              res.once('data', () => {
                req.destroy();
                resolve();
              });
            },
          );
          req.on('error', error => {
            if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') {
              reject(error);
            }
          });
        });
        await waitFor(() =>
          auditor.events.some(
            e => e.eventId === 'entity-fetch' && e.status !== 'initiated',
          ),
        );
        expect(batches.mock.calls.length).toBeGreaterThanOrEqual(1);
        expect(batches.mock.calls.length).toBeLessThan(5);
      });

      it('refuses with 400 before any entity is sent when more match than maxUnpagedEntities', async () => {
        const response = await request(capped).get('/api/catalog/entities');
        expect(response.status).toBe(400);
        expect(response.body.error).toEqual({
          name: 'InputError',
          message:
            "Invalid query for GET /entities: 31 entities match, more than the 20 that 'catalog.pagination.maxUnpagedEntities' allows one response without 'limit'. Page through them: pass 'limit' (at most 10000) and follow the rel=\"next\" link with 'after', or use GET /entities/by-query, or POST /entities/by-query, with its cursors.",
        });
      });

      it('answers a listing without limit within maxUnpagedEntities, counting from the offset', async () => {
        const services = await request(capped).get(
          '/api/catalog/entities?filter=spec.type=service',
        );
        expect(services.status).toBe(200);
        expect(services.body).toHaveLength(15);
        const tail = await request(capped).get(
          '/api/catalog/entities?offset=15',
        );
        expect(tail.status).toBe(200);
        expect(tail.body).toHaveLength(16);
      });
    },
  );
});

/** Polls until `check` passes, for work the server finishes after the client has gone. */
async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for the request to end on the server');
    }
    await new Promise(done => setTimeout(done, 20));
  }
}
