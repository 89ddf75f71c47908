import { TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import request from 'supertest';
import {
  GatedUrlReader,
  authorization,
  base,
  componentYaml,
  locationYaml,
  startReadYourWritesCatalog,
} from './readYourWrites.fixture';

const databases = TestDatabases.create();

// Each test waits for real processing, which a busy machine may slow.
jest.setTimeout(30_000);

type Server = Parameters<typeof request>[0];

function namesOf(entities: Entity[]): string[] {
  return entities.map(e => e.metadata.name).sort();
}

/** Polls `read` until `check` passes, for work the catalog does in the background. */
async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe('waitAfterWrite', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    const reader = new GatedUrlReader();
    let server: Server;
    let origin: string;

    beforeAll(async () => {
      const started = await startReadYourWritesCatalog({
        knex: await databases.init(id),
        reader,
        readYourWrites: { maxConcurrentWaits: 2, maxWait: { seconds: 30 } },
      });
      server = started.backend.server;
      origin = started.origin;
    }, 60_000);

    const register = (target: string, query: string) =>
      request(server)
        .post(`/api/catalog/locations?${query}`)
        .set('authorization', authorization)
        .send({ type: 'url', target });

    it('answers POST /locations once every nested location is processed and stitched', async () => {
      reader.set(
        `${base}/tree/root.yaml`,
        locationYaml('tree-root', ['./a.yaml', './nested/index.yaml']),
      );
      reader.set(`${base}/tree/a.yaml`, componentYaml('tree-a'));
      reader.set(
        `${base}/tree/nested/index.yaml`,
        locationYaml('tree-nested', ['./b.yaml']),
      );
      reader.set(`${base}/tree/nested/b.yaml`, componentYaml('tree-b'));

      const response = await register(`${base}/tree/root.yaml`, 'wait=20s');

      expect(response.status).toBe(201);
      expect(response.body.location).toMatchObject({
        type: 'url',
        target: `${base}/tree/root.yaml`,
      });
      const names = namesOf(response.body.entities);
      expect(names).toEqual(
        expect.arrayContaining([
          'tree-a',
          'tree-b',
          'tree-nested',
          'tree-root',
        ]),
      );
      expect(names).toHaveLength(5);
      expect(response.body.stitched).toEqual(
        expect.arrayContaining([
          'component:default/tree-a',
          'component:default/tree-b',
          'location:default/tree-nested',
        ]),
      );
      expect(response.body.failed).toEqual([]);
    });

    it('serves the waited-for entities on every read route as soon as the wait returns', async () => {
      reader.set(`${base}/fresh.yaml`, componentYaml('fresh-one'));
      const filter = 'filter=metadata.name=fresh-one';
      const read = (path: string) =>
        request(server)
          .get(`/api/catalog${path}`)
          .set('authorization', authorization);
      // Reads keep the cache's view of the generation recent while the
      // write is processed, so that a cache that was not told of the
      // stitch would still answer from before it.
      let reading = true;
      const reads = (async () => {
        while (reading) {
          await read(`/entities?${filter}`);
          await read('/entity-facets?facet=metadata.name');
        }
      })();
      const response = await register(`${base}/fresh.yaml`, 'wait=20s');
      reading = false;

      expect(response.status).toBe(201);
      const fresh = (response.body.entities as Entity[]).find(
        e => e.metadata.name === 'fresh-one',
      );
      const uid = fresh?.metadata.uid;
      const [list, byName, byUid, byRefs, byQuery, facets] = await Promise.all([
        read(`/entities?${filter}`),
        read('/entities/by-name/component/default/fresh-one'),
        read(`/entities/by-uid/${uid}`),
        request(server)
          .post('/api/catalog/entities/by-refs')
          .set('authorization', authorization)
          .send({ entityRefs: ['component:default/fresh-one'] }),
        read(`/entities/by-query?${filter}`),
        read('/entity-facets?facet=metadata.name'),
      ]);
      await reads;
      expect(namesOf(list.body)).toEqual(['fresh-one']);
      expect(byName.status).toBe(200);
      expect(byUid.status).toBe(200);
      expect(byRefs.body.items[0]?.metadata.name).toBe('fresh-one');
      expect(namesOf(byQuery.body.items)).toEqual(['fresh-one']);
      expect(facets.body.facets['metadata.name']).toContainEqual({
        value: 'fresh-one',
        count: 1,
      });
    });

    it('answers 202 with a status link when the wait ends first, and the status route follows the processing', async () => {
      reader.set(`${base}/slow.yaml`, componentYaml('slow-one'));
      const open = reader.hold(`${base}/slow.yaml`);

      const response = await register(`${base}/slow.yaml`, 'wait=300ms');

      expect(response.status).toBe(202);
      const statusPath = `/api/catalog/locations/${response.body.location.id}/status`;
      expect(response.headers.location).toBe(statusPath);
      expect(response.body.status).toBe(statusPath);
      expect(response.body.progress.complete).toBe(false);
      const pending = await request(server)
        .get(statusPath)
        .set('authorization', authorization);
      expect(pending.status).toBe(200);
      expect(pending.body.complete).toBe(false);
      expect(pending.body.entities).toContainEqual(
        expect.objectContaining({ status: 'pending' }),
      );

      open();
      const done = await eventually(
        () =>
          request(server).get(statusPath).set('authorization', authorization),
        res => res.body.complete === true,
      );
      expect(done.body.entities).toContainEqual({
        entityRef: 'component:default/slow-one',
        status: 'stitched',
        processed: true,
        stitched: true,
      });
    });

    it('reports an entity whose processing failed with its errors instead of waiting for it', async () => {
      const response = await register(`${base}/missing.yaml`, 'wait=20s');

      expect(response.status).toBe(201);
      expect(response.body.failed).toEqual([
        {
          entityRef: expect.stringMatching(/^location:default\/generated-/),
          errors: [expect.objectContaining({ message: expect.any(String) })],
        },
      ]);
    });

    it('answers POST /refresh once the entity is processed again, serving its new content', async () => {
      reader.set(`${base}/changing.yaml`, componentYaml('changing', 'first'));
      await register(`${base}/changing.yaml`, 'wait=20s');
      reader.set(`${base}/changing.yaml`, componentYaml('changing', 'second'));

      const response = await request(server)
        .post('/api/catalog/refresh?wait=20s')
        .set('authorization', authorization)
        .send({ entityRef: 'component:default/changing' });

      expect(response.status).toBe(200);
      expect(response.body.stitched).toContain('component:default/changing');
      const entity = await request(server)
        .get('/api/catalog/entities/by-name/component/default/changing')
        .set('authorization', authorization);
      expect(entity.body.metadata.description).toBe('second');
      const status = await request(server)
        .get('/api/catalog/refresh/status?entityRef=component:default/changing')
        .set('authorization', authorization);
      expect(status.body).toMatchObject({
        entityRef: 'component:default/changing',
        complete: true,
        hidden: 0,
      });
      expect(status.body.entities).toHaveLength(2);
    });

    it('refuses invalid wait values with a 400 naming the parameter, writing nothing', async () => {
      for (const wait of ['soon', '0s', '-1s', 'PT', '10 s']) {
        const response = await register(
          `${base}/never.yaml`,
          `wait=${encodeURIComponent(wait)}`,
        );
        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          `Invalid query parameter 'wait': expected a duration longer than zero such as '500ms', '30s', '2m' or the ISO 8601 'PT30S', got '${wait}'. Leave it out to answer without waiting.`,
        );
      }
      const dryRun = await register(
        `${base}/never.yaml`,
        'wait=1s&dryRun=true',
      );
      expect(dryRun.status).toBe(400);
      expect(dryRun.body.error.message).toContain(
        "'wait' cannot be combined with 'dryRun'",
      );
      const locations = await request(server)
        .get('/api/catalog/locations')
        .set('authorization', authorization);
      expect(JSON.stringify(locations.body)).not.toContain('never.yaml');
    });

    it('refuses a wait past the concurrency cap with 503 and Retry-After, and frees the slot of a client that disconnects', async () => {
      const clients = [1, 2].map(n => {
        const url = `${base}/held-${n}.yaml`;
        reader.set(url, componentYaml(`held-${n}`));
        const client = new AbortController();
        const open = reader.hold(url);
        const response = fetch(`${origin}/api/catalog/locations?wait=30s`, {
          method: 'POST',
          signal: client.signal,
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'url', target: url }),
        }).catch(() => undefined);
        return { client, open, response };
      });
      // A slot is taken before the write: once both locations are listed,
      // both requests hold theirs, and the probe cannot take one first.
      await eventually(
        () =>
          request(server)
            .get('/api/catalog/locations')
            .set('authorization', authorization),
        res =>
          ['held-1', 'held-2'].every(name =>
            JSON.stringify(res.body).includes(`${name}.yaml`),
          ),
      );
      const probe = () =>
        request(server)
          .post('/api/catalog/refresh?wait=1s')
          .set('authorization', authorization)
          .send({ entityRef: 'component:default/changing' });
      expect((await eventually(probe, res => res.status === 503)).status).toBe(
        503,
      );

      const refused = await register(`${base}/refused.yaml`, 'wait=1s');

      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.body.error.message).toBe(
        "This catalog replica already has 2 requests waiting for their writes, the most that 'catalog.readYourWrites.maxConcurrentWaits' allows; nothing was written. Retry in a moment, or send the request without 'wait' and poll its status route.",
      );
      const locations = await request(server)
        .get('/api/catalog/locations')
        .set('authorization', authorization);
      expect(JSON.stringify(locations.body)).not.toContain('refused.yaml');

      clients[0].client.abort();
      // Processing is held up by the other read, so the probe may answer
      // 202; what matters is that it finds a free slot.
      const freed = await eventually(probe, res => res.status !== 503);
      expect([200, 202]).toContain(freed.status);
      for (const { client, open, response } of clients) {
        open();
        client.abort();
        await response;
      }
      // Lets processing finish before the backend stops.
      for (const name of ['held-1', 'held-2']) {
        const served = await eventually(
          () =>
            request(server)
              .get(`/api/catalog/entities/by-name/component/default/${name}`)
              .set('authorization', authorization),
          res => res.status === 200,
        );
        expect(served.status).toBe(200);
      }
    });
  });
});
