import {
  MockAuditorService,
  mockCredentials,
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
} from './createRouterTestPlugin.fixture';

const databases = TestDatabases.create({ ids: ['PGLITE'] });
const auditor = MockAuditorService.create();
const authorization = mockCredentials.user.header('user:default/jane');

const petstore = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'petstore' },
  spec: { type: 'service' },
};

let server: Server;

beforeAll(async () => {
  const test = createRouterTestPlugin([petstore]);
  ({ server } = await startTestBackend({
    features: [
      test.plugin,
      databases.factory('PGLITE'),
      mockServices.auditor.factory({ auditor }),
    ],
  }));
}, 60_000);

/** The events of one request, in order, with the fields that tell them apart. */
async function auditOf(send: (agent: request.Agent) => request.Test) {
  const before = auditor.events.length;
  const res = await send(
    request.agent(server).set('authorization', authorization),
  );
  return {
    res,
    events: auditor.events.slice(before).map(event => ({
      plugin: event.plugin,
      eventId: event.eventId,
      severityLevel: event.severityLevel,
      status: event.status,
      meta: event.meta,
      ...(event.status === 'failed' && { error: event.error }),
    })),
  };
}

describe('createRouter', () => {
  const readAllowed = { name: 'catalog.entity.read', result: 'ALLOW' };

  it('audits an entity fetch by name with its entity ref, before and after', async () => {
    const { res, events } = await auditOf(agent =>
      agent.get('/api/catalog/entities/by-name/component/default/petstore'),
    );
    expect(res.status).toBe(200);
    const meta = {
      queryType: 'by-name',
      entityRef: 'component:default/petstore',
    };
    expect(events).toEqual([
      {
        plugin: 'catalog',
        eventId: 'entity-fetch',
        severityLevel: 'low',
        status: 'initiated',
        meta,
      },
      {
        plugin: 'catalog',
        eventId: 'entity-fetch',
        severityLevel: 'low',
        status: 'succeeded',
        meta: { ...meta, permission: readAllowed },
      },
    ]);
  });

  it('audits a failed entity fetch with its error', async () => {
    const { res, events } = await auditOf(agent =>
      agent.get('/api/catalog/entities/by-name/component/default/missing'),
    );
    expect(res.status).toBe(404);
    expect(events[1]).toMatchObject({
      eventId: 'entity-fetch',
      status: 'failed',
      meta: { queryType: 'by-name', entityRef: 'component:default/missing' },
      error: expect.objectContaining({
        name: 'NotFoundError',
        message:
          "No entity named 'missing' found, with kind 'component' in namespace 'default'.",
      }),
    });
  });

  it('audits a list of entities with its query', async () => {
    const { events } = await auditOf(agent =>
      agent.get('/api/catalog/entities?filter=kind=component'),
    );
    expect(events.map(e => [e.eventId, e.status, e.meta])).toEqual([
      [
        'entity-fetch',
        'initiated',
        { queryType: 'all', query: { filter: 'kind=component' } },
      ],
      [
        'entity-fetch',
        'succeeded',
        {
          queryType: 'all',
          query: { filter: 'kind=component' },
          permission: readAllowed,
        },
      ],
    ]);
  });

  it('audits entity facets', async () => {
    const { events } = await auditOf(agent =>
      agent.get('/api/catalog/entity-facets?facet=kind'),
    );
    expect(events.map(e => [e.eventId, e.status])).toEqual([
      ['entity-facets', 'initiated'],
      ['entity-facets', 'succeeded'],
    ]);
  });

  it('audits a refresh as a medium entity mutation naming the ref', async () => {
    const { events } = await auditOf(agent =>
      agent
        .post('/api/catalog/refresh')
        .send({ entityRef: 'component:default/petstore' }),
    );
    expect(events[1]).toEqual({
      plugin: 'catalog',
      eventId: 'entity-mutate',
      severityLevel: 'medium',
      status: 'succeeded',
      meta: {
        queryType: 'refresh',
        entityRef: 'component:default/petstore',
        permission: { name: 'catalog.entity.refresh', result: 'ALLOW' },
      },
    });
  });

  it('audits a dry run of a location as a low location mutation, and a real one as medium', async () => {
    const target = 'https://example.com/new/catalog-info.yaml';
    const dry = await auditOf(agent =>
      agent
        .post('/api/catalog/locations?dryRun=true')
        .send({ type: 'url', target }),
    );
    expect(dry.events[0]).toEqual({
      plugin: 'catalog',
      eventId: 'location-mutate',
      severityLevel: 'low',
      status: 'initiated',
      meta: {
        actionType: 'create',
        location: { type: 'url', target },
        isDryRun: true,
      },
    });
    const real = await auditOf(agent =>
      agent.post('/api/catalog/locations').send({ type: 'url', target }),
    );
    expect(real.events[1]).toMatchObject({
      eventId: 'location-mutate',
      severityLevel: 'medium',
      status: 'succeeded',
      meta: {
        actionType: 'create',
        isDryRun: false,
        location: { type: 'url', target, id: expect.any(String) },
      },
    });
  });

  it('audits location fetches and deletion with their ids', async () => {
    const fetched = await auditOf(agent =>
      agent.get(`/api/catalog/locations/${registeredLocation.id}`),
    );
    expect(fetched.events[1]).toMatchObject({
      eventId: 'location-fetch',
      status: 'succeeded',
      meta: {
        queryType: 'by-id',
        id: registeredLocation.id,
        output: registeredLocation,
      },
    });
    const byEntity = await auditOf(agent =>
      agent.get('/api/catalog/locations/by-entity/component/default/petstore'),
    );
    expect(byEntity.events[0].meta).toEqual({
      queryType: 'by-entity',
      locationRef: 'component:default/petstore',
    });
    const deleted = await auditOf(agent =>
      agent.delete('/api/catalog/locations/nope'),
    );
    expect(deleted.events[1]).toMatchObject({
      eventId: 'location-mutate',
      severityLevel: 'medium',
      status: 'failed',
      meta: { actionType: 'delete', id: 'nope' },
      error: expect.objectContaining({ name: 'NotFoundError' }),
    });
  });

  it('audits an analysis with its output', async () => {
    const { events } = await auditOf(agent =>
      agent.post('/api/catalog/analyze-location').send({
        location: { type: 'url', target: 'https://example.com/repo' },
      }),
    );
    expect(events.map(e => [e.eventId, e.status])).toEqual([
      ['location-analyze', 'initiated'],
      ['location-analyze', 'succeeded'],
    ]);
    expect(events[1].meta).toEqual({
      output: analyzeResponse,
      permission: { name: 'catalog.location.analyze', result: 'ALLOW' },
    });
  });

  it('audits an invalid entity sent for validation as a failed validation, once', async () => {
    const { res, events } = await auditOf(agent =>
      agent.post('/api/catalog/validate-entity').send({
        entity: { ...petstore, metadata: { name: 'invalid' } },
        location: 'url:https://example.com/catalog-info.yaml',
      }),
    );
    expect(res.status).toBe(400);
    expect(events.map(e => [e.eventId, e.status])).toEqual([
      ['entity-validate', 'initiated'],
      ['entity-validate', 'failed'],
    ]);
    expect(events[1].error).toMatchObject({
      message: "Entity 'component:default/invalid' is invalid.",
    });
  });
});
