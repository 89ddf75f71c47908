import { createBackendModule } from '@plinth/backend-plugin-api';
import { TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import { eventsServiceRef, type EventParams } from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import { applyPatch } from 'rfc6902';
import request from 'supertest';
import {
  base,
  janeHeader,
  provided,
  readFeed,
  startHistoryBackend,
} from './history/historyBackend.fixture';
import type { EntityChange } from './history/historyRows';
import { pruneHistory } from './history/pruneHistory';
import { CATALOG_ENTITY_CHANGE_TOPIC } from './history/publishChanges';

const databases = TestDatabases.create();

const team = (name: string) =>
  provided('Group', name, { type: 'team', children: [] });
const cart = (owner: string) =>
  provided('Component', 'cart', {
    type: 'service',
    lifecycle: 'production',
    owner,
  });
const loc = provided('Location', 'loc', {
  type: 'url',
  target: `${base}/children.yaml`,
});
const children = ['child-1', 'child-2']
  .map(name =>
    JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    }),
  )
  .join('\n---\n');

/** What a consumer of the feed alone holds: entities by uid. */
function rebuild(changes: EntityChange[]): Map<string, Entity> {
  const state = new Map<string, Entity>();
  for (const change of changes) {
    if (change.type === 'created') {
      state.set(change.entityUid, change.entity!);
    } else if (change.type === 'updated') {
      // Applies the patch rather than taking `entity`, to prove the patch.
      const entity = structuredClone(state.get(change.entityUid)!);
      const errors = applyPatch(entity, change.patch!);
      expect(errors.filter(Boolean)).toEqual([]);
      expect(entity).toEqual(change.entity);
      state.set(change.entityUid, entity);
    } else {
      state.delete(change.entityUid);
    }
  }
  return state;
}

const published: EventParams[] = [];
/** Subscribes as a module of another plugin would. */
const changeListener = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'change-listener',
  register(env) {
    env.registerInit({
      deps: { events: eventsServiceRef },
      async init({ events }) {
        await events.subscribe({
          id: 'history-test',
          topics: [CATALOG_ENTITY_CHANGE_TOPIC],
          onEvent: async event => {
            published.push(event);
          },
        });
      },
    });
  },
});

describe('catalog history', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let catalog: Awaited<ReturnType<typeof startHistoryBackend>>;
    let server: Parameters<typeof request>[0];
    beforeAll(async () => {
      knex = await databases.init(id);
      published.length = 0;
      catalog = await startHistoryBackend({
        knex,
        files: { [`${base}/children.yaml`]: children },
        features: [changeListener],
      });
      server = catalog.backend.server;
    }, 60_000);
    afterAll(async () => {
      await catalog?.backend.stop();
    });

    const get = (path: string) =>
      request(server)
        .get(`/api/catalog${path}`)
        .set('authorization', janeHeader);

    it('lets a consumer rebuild the catalog from the change feed alone after churn, with zero drift', async () => {
      await catalog.provide([team('team-a'), cart('team-a'), loc]);
      await catalog.settle();
      // Updates with relation changes, a create, a delete through the API
      // (which the location emits again), and orphan deletion.
      await catalog.provide([
        team('team-a'),
        team('team-b'),
        cart('team-b'),
        loc,
      ]);
      await catalog.settle();
      const child2 = await get('/entities/by-name/component/default/child-2');
      const removed = await request(server)
        .delete(`/api/catalog/entities/by-uid/${child2.body.metadata.uid}`)
        .set('authorization', janeHeader);
      expect(removed.status).toBe(204);
      await catalog.settle();
      await catalog.provide([team('team-a'), team('team-b'), cart('team-b')]);
      await catalog.settle();

      // The list and the feed must describe the same moment: when the
      // feed moved while the list was read, settle and read both again.
      let { items, nextCursor } = await readFeed(server, janeHeader);
      let listed = await get('/entities');
      for (let tries = 0; tries < 5; tries += 1) {
        const later = await readFeed(server, janeHeader, nextCursor!);
        if (later.items.length === 0) break;
        await catalog.settle();
        ({ items, nextCursor } = await readFeed(server, janeHeader));
        listed = await get('/entities');
      }
      const served = new Map(
        (listed.body as Entity[]).map(e => [e.metadata.uid!, e]),
      );
      expect(rebuild(items)).toEqual(served);
      expect([...served.values()].map(e => e.metadata.name).sort()).toEqual([
        'cart',
        'team-a',
        'team-b',
      ]);

      const deletions = items
        .filter(c => c.type === 'deleted')
        .map(c => [c.entityRef, c.source, c.actor]);
      expect(deletions).toEqual(
        expect.arrayContaining([
          [
            'component:default/child-2',
            { type: 'api', name: 'DELETE /entities/by-uid' },
            'user:default/jane',
          ],
          [
            'location:default/loc',
            { type: 'provider', name: 'history-test' },
            null,
          ],
          ['component:default/child-1', { type: 'orphan-cleanup' }, null],
        ]),
      );
      const child1 = items.find(
        c => c.entityRef === 'component:default/child-1',
      );
      expect(child1?.source).toEqual({
        type: 'location',
        name: 'location:default/loc',
        target: `url:${base}/children.yaml`,
      });
    }, 120_000);

    it('serves the history of an entity by uid and by name, newest first or in order, also after its deletion', async () => {
      const cartNow = await get('/entities/by-name/component/default/cart');
      const byUid = await get(
        `/entities/by-uid/${cartNow.body.metadata.uid}/history`,
      );
      expect(byUid.status).toBe(200);
      expect(byUid.body.items.map((c: EntityChange) => c.type)).toEqual([
        'updated',
        'created',
      ]);
      expect(byUid.body.items[0].patch).toContainEqual({
        op: 'replace',
        path: '/spec/owner',
        value: 'team-b',
      });

      const gone = await get(
        '/entities/by-name/component/default/child-1/history?order=asc&limit=1',
      );
      expect(gone.status).toBe(200);
      expect(gone.body.items.map((c: EntityChange) => c.type)).toEqual([
        'created',
      ]);
      const next = await get(
        `/entities/by-name/component/default/child-1/history?order=asc&cursor=${gone.body.nextCursor}`,
      );
      expect(next.body.items.map((c: EntityChange) => c.type)).toContain(
        'deleted',
      );
    });

    it('answers a long poll as soon as a change commits', async () => {
      await catalog.settle();
      const { nextCursor } = await readFeed(server, janeHeader);
      const poll = get(`/changes?after=${nextCursor}&wait=15s`).then(r => r);
      await new Promise(done => setTimeout(done, 200));
      await catalog.provide([
        team('team-a'),
        team('team-b'),
        cart('team-b'),
        team('team-c'),
      ]);
      const res = await poll;
      expect(res.status).toBe(200);
      expect(res.body.items.map((c: EntityChange) => c.entityRef)).toEqual([
        'group:default/team-c',
      ]);
    }, 60_000);

    it('publishes every change once on catalog.entity.change, in feed order', async () => {
      await catalog.settle();
      const { items } = await readFeed(server, janeHeader);
      const deadline = Date.now() + 20_000;
      while (published.length < items.length && Date.now() < deadline) {
        await new Promise(done => setTimeout(done, 50));
      }
      expect(
        published.map(e => (e.eventPayload as EntityChange).cursor),
      ).toEqual(items.map(item => item.cursor));
      expect(published[0].eventPayload).toEqual(items[0]);
    }, 60_000);

    it('answers 410 naming the reset to a cursor behind what retention pruned', async () => {
      const { items } = await readFeed(server, janeHeader);
      await pruneHistory(knex, { maxAgeMs: 86_400_000, maxEntries: 1 });
      const res = await get(`/changes?after=${items[0].cursor}`);
      expect(res.status).toBe(410);
      expect(res.body.error).toEqual({
        name: 'GoneError',
        message: `Changes after cursor '${items[0].cursor}' are no longer kept: 'catalog.history.retention' removed some of them. Re-list the catalog with GET /entities, then follow GET /changes from the 'nextCursor' of a page read before the listing.`,
      });
      const latest = await get(
        `/changes?after=${items[items.length - 1].cursor}`,
      );
      expect(latest.status).toBe(200);
    });

    it('refuses what it cannot serve with a 4xx naming the parameter', async () => {
      const cases: Array<[string, number, string]> = [
        [
          '/changes?after=12',
          400,
          "Invalid query parameter 'after' '12': expected a cursor such as '1234-56' from a change's 'cursor' or a page's 'nextCursor'.",
        ],
        [
          '/changes?limit=0',
          400,
          "Invalid query parameter 'limit': expected an integer of at least 1, got '0'.",
        ],
        [
          '/changes?wait=soon',
          400,
          "Invalid query parameter 'wait': expected a duration longer than zero such as '500ms', '30s', '2m' or the ISO 8601 'PT30S', got 'soon'. Leave it out to answer without waiting.",
        ],
        [
          '/changes?after=1-99999999999999999999',
          400,
          "Invalid query parameter 'after' '1-99999999999999999999': expected a cursor such as '1234-56' from a change's 'cursor' or a page's 'nextCursor'.",
        ],
        [
          '/changes?after=1-9999999999999999999',
          400,
          "Invalid query parameter 'after' '1-9999999999999999999': expected a cursor such as '1234-56' from a change's 'cursor' or a page's 'nextCursor'.",
        ],
        [
          '/entities/by-uid/x/history?cursor=9999999999999999999',
          400,
          "Invalid query parameter 'cursor' of GET /entities/by-uid/:uid/history: expected the 'nextCursor' of the previous page, got '9999999999999999999'.",
        ],
        [
          '/changes?since=1',
          400,
          "Unknown query parameter 'since' for GET /changes; the known ones are 'after', 'limit', 'wait'.",
        ],
        [
          '/entities/by-uid/nope/history',
          404,
          "No history of the entity with uid 'nope' found. It never existed, retention removed its history, or you may not read it; check the uid or ref.",
        ],
        [
          '/entities/by-uid/x/history?order=up',
          400,
          "Invalid query parameter 'order' of GET /entities/by-uid/:uid/history: expected one of 'asc', 'desc', got 'up'.",
        ],
      ];
      for (const [path, status, message] of cases) {
        const res = await get(path);
        expect([path, res.status, res.body.error?.message]).toEqual([
          path,
          status,
          message,
        ]);
      }
    });
  });
});
