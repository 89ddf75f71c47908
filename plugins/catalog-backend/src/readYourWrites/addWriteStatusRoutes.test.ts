import {
  coreServices,
  createServiceFactory,
  type PermissionsService,
} from '@plinth/backend-plugin-api';
import { TestDatabases, mockCredentials } from '@plinth/backend-test-utils';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@plinth/plugin-permission-common';
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

jest.setTimeout(30_000);

const joe = mockCredentials.user.header('user:default/joe');
const nobody = mockCredentials.user.header('user:default/nobody');

/**
 * Joe reads Component entities only; nobody may read no entity nor any
 * location; everyone else may do anything.
 */
const permissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => {
    const userOf = (credentials: { principal: unknown }) =>
      (credentials.principal as { userEntityRef?: string }).userEntityRef;
    return {
      async authorize(requests, { credentials }) {
        const result =
          userOf(credentials) === 'user:default/nobody'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW;
        return requests.map(() => ({ result }));
      },
      async authorizeConditional(requests, { credentials }) {
        const user = userOf(credentials);
        return requests.map(({ permission }) => {
          if (!isResourcePermission(permission, 'catalog-entity')) {
            return { result: AuthorizeResult.ALLOW };
          }
          if (user === 'user:default/nobody') {
            return { result: AuthorizeResult.DENY };
          }
          return user === 'user:default/joe'
            ? createCatalogConditionalDecision(
                permission,
                catalogConditions.isEntityKind({ kinds: ['Component'] }),
              )
            : { result: AuthorizeResult.ALLOW };
        });
      },
    };
  },
});

describe('addWriteStatusRoutes', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    const reader = new GatedUrlReader();
    let server: Parameters<typeof request>[0];
    let locationId: string;

    beforeAll(async () => {
      const started = await startReadYourWritesCatalog({
        knex: await databases.init(id),
        reader,
        readYourWrites: {},
        features: [permissions],
      });
      server = started.backend.server;
      reader.set(
        `${base}/status/index.yaml`,
        locationYaml('status-index', ['./c.yaml']),
      );
      reader.set(`${base}/status/c.yaml`, componentYaml('status-c'));
      const created = await request(server)
        .post('/api/catalog/locations?wait=20s')
        .set('authorization', authorization)
        .send({ type: 'url', target: `${base}/status/index.yaml` });
      locationId = created.body.location.id;
    }, 60_000);

    const get = (path: string, as: string) =>
      request(server).get(`/api/catalog${path}`).set('authorization', as);

    it('reports every entity of a location to a caller who may read them all', async () => {
      const response = await get(
        `/locations/${locationId}/status`,
        authorization,
      );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        location: { id: locationId, target: `${base}/status/index.yaml` },
        complete: true,
        hidden: 0,
        truncated: false,
      });
      expect(response.body.entities).toHaveLength(3);
    });

    it('names only the entities the caller may read, counting the others', async () => {
      const response = await get(`/locations/${locationId}/status`, joe);

      expect(response.status).toBe(200);
      expect(response.body.entities).toEqual([
        {
          entityRef: 'component:default/status-c',
          status: 'stitched',
          processed: true,
          stitched: true,
        },
      ]);
      expect(response.body.hidden).toBe(2);
    });

    it('refuses the location status to a caller denied catalog.location.read', async () => {
      const response = await get(`/locations/${locationId}/status`, nobody);

      expect(response.status).toBe(403);
    });

    it('answers 404 for the status of an unknown location', async () => {
      const response = await get('/locations/no-such-id/status', authorization);

      expect(response.status).toBe(404);
      expect(response.body.error.message).toBe(
        "No location with id 'no-such-id' exists. List the registered locations with GET /locations.",
      );
    });

    it('answers the refresh status of an entity the caller may not read with 404, as the entity routes do', async () => {
      const ref = 'location:default/status-index';
      const allowed = await get(
        `/refresh/status?entityRef=${ref}`,
        authorization,
      );
      expect(allowed.status).toBe(200);

      const refused = await get(`/refresh/status?entityRef=${ref}`, joe);

      expect(refused.status).toBe(404);
      expect(refused.body.error.message).toBe(
        `No entity '${ref}' exists in the catalog. Check the kind, namespace and name.`,
      );
    });

    it('refuses a refresh status request without a valid entity ref', async () => {
      const missing = await get('/refresh/status', authorization);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toBe(
        "Missing query parameter 'entityRef' for GET /refresh/status; give the ref of the refreshed entity, such as 'component:default/petstore'.",
      );

      const kindless = await get(
        '/refresh/status?entityRef=petstore',
        authorization,
      );
      expect(kindless.status).toBe(400);
      expect(kindless.body.error.message).toContain("'petstore'");
    });
  });
});
