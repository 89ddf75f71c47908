import { startTestBackend, TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  createRouterTestPlugin,
  type RouterTestState,
} from './createRouterTestPlugin.fixture';

const databases = TestDatabases.create();

function component(name: string, spec: Entity['spec'], namespace?: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...(namespace && { namespace }) },
    spec,
    relations: [],
  };
}

const entities = [
  {
    ...component('petstore', { type: 'service', owner: 'team-a' }),
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
  },
  component('wayback', { type: 'website' }),
  component('billing', { type: 'service' }, 'prod'),
  component('doomed', { type: 'library' }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a' },
    spec: { type: 'team' },
    relations: [{ type: 'ownerOf', targetRef: 'component:default/petstore' }],
  },
];

function names(body: unknown): string[] {
  return (body as Entity[]).map(e => e.metadata.name);
}

describe('createRouter', () => {
  describe.each(databases.eachSupportedId())('entity routes on %s', id => {
    let server: Server;
    let state: RouterTestState;

    beforeAll(async () => {
      const test = createRouterTestPlugin(entities);
      state = test.state;
      ({ server } = await startTestBackend({
        features: [test.plugin, databases.factory(id)],
      }));
    });

    it('lists entities as a JSON array of the stored entities, by ref', async () => {
      const response = await request(server).get('/api/catalog/entities');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      expect(response.headers.link).toBeUndefined();
      expect(names(response.body)).toEqual([
        'doomed',
        'petstore',
        'wayback',
        'billing',
        'team-a',
      ]);
      expect((response.body as Entity[])[1]).toMatchObject({
        ...entities[0],
        metadata: {
          name: 'petstore',
          uid: state.uids['component:default/petstore'],
        },
      });
    });

    it('filters, orders and cuts down listed entities', async () => {
      const response = await request(server).get(
        '/api/catalog/entities?filter=kind=component,spec.type=service&filter=kind=group&order=desc:metadata.name&fields=metadata.name,kind',
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        { kind: 'Group', metadata: { name: 'team-a' } },
        { kind: 'Component', metadata: { name: 'petstore' } },
        { kind: 'Component', metadata: { name: 'billing' } },
      ]);
    });

    it('links to the next page while more entities follow, keeping the other parameters', async () => {
      const first = await request(server).get(
        '/api/catalog/entities?limit=2&order=asc:spec.type&fields=metadata.name&offset=0',
      );
      expect(names(first.body)).toEqual(['doomed', 'petstore']);
      const link = /^<(\/api\/catalog\/entities\?[^>]+)>; rel="next"$/.exec(
        first.headers.link,
      );
      expect(link).not.toBeNull();
      const next = new URL(link![1], 'http://localhost');
      expect(next.searchParams.get('offset')).toBeNull();
      expect(next.searchParams.get('limit')).toBe('2');
      expect(next.searchParams.get('order')).toBe('asc:spec.type');
      const second = await request(server).get(link![1]);
      expect(names(second.body)).toEqual(['billing', 'team-a']);
      const third = await request(server).get(
        /<([^>]+)>/.exec(second.headers.link)![1],
      );
      expect(names(third.body)).toEqual(['wayback']);
      expect(third.headers.link).toBeUndefined();
    });

    it('pages a query with cursors, totals and a full text filter', async () => {
      const first = await request(server).get(
        '/api/catalog/entities/by-query?limit=2&orderField=metadata.name,asc&filter=kind=component&fullTextFilterTerm=E&fullTextFilterFields=spec.type&fields=metadata.name',
      );
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        items: [
          { metadata: { name: 'billing' } },
          { metadata: { name: 'petstore' } },
        ],
        totalItems: 3,
        pageInfo: { nextCursor: expect.any(String) },
      });
      const second = await request(server).get(
        `/api/catalog/entities/by-query?cursor=${first.body.pageInfo.nextCursor}&fields=metadata.name`,
      );
      expect(second.body).toEqual({
        items: [{ metadata: { name: 'wayback' } }],
        totalItems: 3,
        pageInfo: { prevCursor: expect.any(String) },
      });
      const back = await request(server).get(
        `/api/catalog/entities/by-query?cursor=${second.body.pageInfo.prevCursor}&limit=2`,
      );
      expect(names(back.body.items)).toEqual(['billing', 'petstore']);
      expect(back.body.pageInfo).toEqual({ nextCursor: expect.any(String) });
    });

    it('serves 20 entities per query page by default', async () => {
      const response = await request(server).get(
        '/api/catalog/entities/by-query?totalItems=exclude',
      );
      expect(response.body).toMatchObject({ totalItems: 0, pageInfo: {} });
      expect(response.body.items).toHaveLength(5);
    });

    it('answers refs with entities in request order and null for unknown ones', async () => {
      const response = await request(server)
        .post('/api/catalog/entities/by-refs?filter=kind=component')
        .send({
          entityRefs: [
            'component:prod/billing',
            'group:default/team-a',
            'component:default/nothing',
            'Component:default/Petstore',
          ],
          fields: ['metadata.name'],
        });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        items: [
          { metadata: { name: 'billing' } },
          null,
          null,
          { metadata: { name: 'petstore' } },
        ],
      });
    });

    it('gets an entity by name in any case, and says which one is missing', async () => {
      const found = await request(server).get(
        '/api/catalog/entities/by-name/COMPONENT/default/PetStore',
      );
      expect(found.status).toBe(200);
      expect(found.body.metadata.name).toBe('petstore');
      const missing = await request(server).get(
        '/api/catalog/entities/by-name/component/default/nothing',
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error).toEqual({
        name: 'NotFoundError',
        message:
          "No entity named 'nothing' found, with kind 'component' in namespace 'default'.",
      });
    });

    it('gets an entity by uid, and 404s for an unknown uid', async () => {
      const uid = state.uids['component:default/wayback'];
      const found = await request(server).get(
        `/api/catalog/entities/by-uid/${uid}`,
      );
      expect(found.status).toBe(200);
      expect(found.body.metadata).toEqual({
        name: 'wayback',
        uid,
        etag: `etag-${uid}`,
      });
      const missing = await request(server).get(
        '/api/catalog/entities/by-uid/no-such-uid',
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        "No entity with uid 'no-such-uid' found. Uids change when an entity is deleted and created again; look it up by name instead.",
      );
    });

    it('serves the ancestry of an entity, and 404s for an unknown one', async () => {
      const found = await request(server).get(
        '/api/catalog/entities/by-name/component/default/petstore/ancestry',
      );
      expect(found.status).toBe(200);
      expect(found.body).toEqual({
        rootEntityRef: 'component:default/petstore',
        items: [
          {
            entity: expect.objectContaining({ kind: 'Component' }),
            parentEntityRefs: [],
          },
        ],
      });
      const missing = await request(server).get(
        '/api/catalog/entities/by-name/component/default/nothing/ancestry',
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        "No entity 'component:default/nothing' found; check the kind, namespace and name, or wait for the catalog to process it.",
      );
    });

    it('counts facet values over the filtered entities', async () => {
      const response = await request(server).get(
        '/api/catalog/entity-facets?facet=spec.type&facet=kind&filter=metadata.namespace=default',
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        facets: {
          'spec.type': [
            { value: 'library', count: 1 },
            { value: 'service', count: 1 },
            { value: 'team', count: 1 },
            { value: 'website', count: 1 },
          ],
          kind: [
            { value: 'Component', count: 3 },
            { value: 'Group', count: 1 },
          ],
        },
      });
    });

    it('deletes an entity by uid and answers 204 again for a uid that is gone', async () => {
      const uid = state.uids['component:default/doomed'];
      const deleted = await request(server).delete(
        `/api/catalog/entities/by-uid/${uid}`,
      );
      expect(deleted.status).toBe(204);
      const gone = await request(server).get(
        `/api/catalog/entities/by-uid/${uid}`,
      );
      expect(gone.status).toBe(404);
      const again = await request(server).delete(
        `/api/catalog/entities/by-uid/${uid}`,
      );
      expect(again.status).toBe(204);
    });
  });
});
