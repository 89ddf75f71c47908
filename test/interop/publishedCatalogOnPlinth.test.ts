import { mockServices } from '@plinth/backend-test-utils';
import {
  databases,
  startPlinthBackend,
  type PlinthBackend,
} from './plinthBackend';
import { sendJson, waitForEntity } from './requests';

// Backstage's own catalog, `@backstage/plugin-catalog-backend`, as
// published, running on a Plinth backend in place of Plinth's catalog: its
// migrations on Plinth's databases, its processing on Plinth's services.

const base = 'https://git.example.com/published-catalog';

const files = {
  [`${base}/catalog-info.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: published-catalog-service
  description: Registered through Backstage's catalog on Plinth
spec:
  type: service
  lifecycle: production
  owner: team-a
  providesApis: [published-catalog-api]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: published-catalog-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition: |
    openapi: 3.0.0
    info: { title: Interop, version: 1.0.0 }
    paths: {}
`,
};

let backend: PlinthBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

describe.each(databases.eachSupportedId())(
  'plugin-catalog-backend on Plinth on %s',
  databaseId => {
    it('registers a location and serves the entities it holds, with their relations', async () => {
      backend = await startPlinthBackend({
        features: [
          import('@backstage/plugin-catalog-backend'),
          mockServices.urlReader.factory(files),
        ],
        config: {
          catalog: { rules: [{ allow: ['Component', 'API', 'Location'] }] },
        },
        database: databaseId,
      });
      const registered = await sendJson(
        `${backend.origin}/api/catalog/locations`,
        { type: 'url', target: `${base}/catalog-info.yaml` },
      );
      expect(registered).toMatchObject({
        status: 201,
        body: {
          location: { type: 'url', target: `${base}/catalog-info.yaml` },
        },
      });

      const component = await waitForEntity(
        backend.origin,
        'component:default/published-catalog-service',
        { logs: backend.logger.lines },
      );
      expect(component).toMatchObject({
        kind: 'Component',
        metadata: {
          name: 'published-catalog-service',
          annotations: expect.objectContaining({
            'backstage.io/managed-by-location': `url:${base}/catalog-info.yaml`,
          }),
        },
        spec: { owner: 'team-a' },
      });
      const api = await waitForEntity(
        backend.origin,
        'api:default/published-catalog-api',
        { logs: backend.logger.lines },
      );
      await expect(
        waitForRelation(
          backend.origin,
          'component:default/published-catalog-service',
          {
            type: 'providesApi',
            targetRef: 'api:default/published-catalog-api',
          },
        ),
      ).resolves.toBe(true);
      expect(api.spec).toMatchObject({ type: 'openapi', owner: 'team-a' });
    });
  },
);

/** Waits until stitching has given the entity `ref` the relation. */
async function waitForRelation(
  origin: string,
  ref: string,
  relation: { type: string; targetRef: string },
): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const entity = await waitForEntity(origin, ref);
    if (
      entity.relations?.some(
        r => r.type === relation.type && r.targetRef === relation.targetRef,
      )
    ) {
      return true;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${ref} to have relation ${JSON.stringify(relation)}; it has ${JSON.stringify(entity.relations)}`,
      );
    }
    await new Promise(done => setTimeout(done, 100));
  }
}
