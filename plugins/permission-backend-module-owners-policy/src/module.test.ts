import { TestDatabases } from '@plinth/backend-test-utils';
import permissionModuleOwnersPolicy from './index';
import {
  extraLocation,
  fixtureRefs,
  startCatalogWithPolicy,
  type CatalogWithPolicy,
} from './startCatalogWithPolicy.fixture';

const jane = 'user:default/jane';
const bob = 'user:default/bob';
const root = 'user:default/root';
const adminGroups = ['group:default/admins'];

interface ServedEntity {
  kind: string;
  metadata: { name: string; namespace?: string };
}

function refsOf(entities: Array<ServedEntity | null>): Array<string | null> {
  return entities.map(entity =>
    entity
      ? `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase()
      : null,
  );
}

async function listRefs(
  catalog: CatalogWithPolicy,
  userRef?: string,
): Promise<Array<string | null>> {
  const client = userRef ? catalog.as(userRef) : catalog.asScopedToken();
  const { body } = await client
    .get(
      '/api/catalog/entities?filter=kind=component&filter=kind=user&filter=kind=group',
    )
    .expect(200);
  return refsOf(body).sort();
}

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'permissionModuleOwnersPolicy on %s',
  databaseId => {
    describe('with the defaults: everyone reads', () => {
      let catalog: CatalogWithPolicy;
      beforeAll(async () => {
        catalog = await startCatalogWithPolicy({
          database: await databases.init(databaseId),
          policy: permissionModuleOwnersPolicy,
          permission: { ownersPolicy: { adminGroups } },
          scopedToken: { permissionAttributes: { action: ['read'] } },
        });
      }, 60_000);
      afterAll(() => catalog?.stop());

      it('lets every signed-in user read every entity', async () => {
        await expect(listRefs(catalog, bob)).resolves.toEqual(fixtureRefs);
        await expect(listRefs(catalog, jane)).resolves.toEqual(fixtureRefs);
      });

      it('gives a read-only token its reads and nothing more', async () => {
        await expect(listRefs(catalog)).resolves.toEqual(fixtureRefs);
        await catalog
          .asScopedToken()
          .post('/api/catalog/refresh')
          .send({ entityRef: 'component:default/petstore' })
          .expect(403);
      });

      it('lets an owner refresh an entity their group owns', async () => {
        await catalog
          .as(jane)
          .post('/api/catalog/refresh')
          .send({ entityRef: 'component:default/petstore' })
          .expect(200);
      });

      it('refuses to refresh an entity of another team', async () => {
        const { body } = await catalog
          .as(jane)
          .post('/api/catalog/refresh')
          .send({ entityRef: 'component:default/website' })
          .expect(403);
        expect(body.error.name).toBe('NotAllowedError');
      });

      it('lets an owner delete an entity their group owns, and one they own themselves', async () => {
        const petkit = await catalog.uidOf('component:default/petkit');
        const notebook = await catalog.uidOf(
          'component:default/janes-notebook',
        );
        await catalog
          .as(jane)
          .delete(`/api/catalog/entities/by-uid/${petkit}`)
          .expect(204);
        await catalog
          .as(jane)
          .delete(`/api/catalog/entities/by-uid/${notebook}`)
          .expect(204);
      });

      it('refuses to delete an entity of another team', async () => {
        const website = await catalog.uidOf('component:default/website');
        await catalog
          .as(jane)
          .delete(`/api/catalog/entities/by-uid/${website}`)
          .expect(403);
      });

      it('lets an admin change what others own', async () => {
        await catalog
          .as(root)
          .post('/api/catalog/refresh')
          .send({ entityRef: 'component:default/website' })
          .expect(200);
      });

      it('keeps removing locations for admins', async () => {
        const { body } = await catalog
          .as(root)
          .post('/api/catalog/locations')
          .send(extraLocation)
          .expect(201);
        const { id } = (body as { location: { id: string } }).location;
        await catalog
          .as(jane)
          .delete(`/api/catalog/locations/${id}`)
          .expect(403);
        await catalog
          .as(root)
          .delete(`/api/catalog/locations/${id}`)
          .expect(204);
      });

      it('lets every signed-in user register a location', async () => {
        await catalog
          .as(bob)
          .post('/api/catalog/locations?dryRun=true')
          .send(extraLocation)
          .expect(201);
      });

      it('leaves unrestricted service principals unrestricted', async () => {
        const website = await catalog.uidOf('component:default/website');
        await catalog
          .asService()
          .delete(`/api/catalog/entities/by-uid/${website}`)
          .expect(204);
      });
    });

    describe('with read: owners and create: admins', () => {
      let catalog: CatalogWithPolicy;
      beforeAll(async () => {
        catalog = await startCatalogWithPolicy({
          database: await databases.init(databaseId),
          policy: permissionModuleOwnersPolicy,
          permission: {
            ownersPolicy: { adminGroups, read: 'owners', create: 'admins' },
          },
          scopedToken: {
            permissionNames: ['catalog.entity.read', 'catalog.location.create'],
          },
        });
      }, 60_000);
      afterAll(() => catalog?.stop());

      const janeReads = [
        'component:default/janes-notebook',
        'component:default/petkit',
        'component:default/petstore',
        'group:default/admins',
        'group:default/team-a',
        'group:default/team-b',
        'user:default/bob',
        'user:default/jane',
        'user:default/root',
      ];

      it('lists only what the user owns, plus users and groups', async () => {
        await expect(listRefs(catalog, jane)).resolves.toEqual(janeReads);
      });

      it('counts in by-query what it lists', async () => {
        const { body } = await catalog
          .as(jane)
          .get('/api/catalog/entities/by-query?filter=kind=component&limit=1')
          .expect(200);
        expect(body.totalItems).toBe(3);
      });

      it('counts in facets only the readable entities', async () => {
        const { body } = await catalog
          .as(jane)
          .get('/api/catalog/entity-facets?facet=kind')
          .expect(200);
        expect(body.facets.kind).toEqual(
          expect.arrayContaining([
            { value: 'Component', count: 3 },
            { value: 'User', count: 3 },
          ]),
        );
      });

      it('answers null for an entity of another team in by-refs, and 404 by name', async () => {
        const { body } = await catalog
          .as(jane)
          .post('/api/catalog/entities/by-refs')
          .send({
            entityRefs: [
              'component:default/website',
              'component:default/petstore',
            ],
          })
          .expect(200);
        expect(refsOf(body.items)).toEqual([
          null,
          'component:default/petstore',
        ]);
        await catalog
          .as(jane)
          .get('/api/catalog/entities/by-name/component/default/website')
          .expect(404);
      });

      it('lets an admin read everything', async () => {
        await expect(listRefs(catalog, root)).resolves.toEqual(fixtureRefs);
      });

      it('gives a scoped token exactly its scopes, neither the owners filter nor the admins-only rules', async () => {
        await expect(listRefs(catalog)).resolves.toEqual(fixtureRefs);
        await catalog
          .asScopedToken()
          .post('/api/catalog/locations?dryRun=true')
          .send(extraLocation)
          .expect(201);
        await catalog
          .asScopedToken()
          .post('/api/catalog/refresh')
          .send({ entityRef: 'component:default/petstore' })
          .expect(403);
      });

      it('keeps registering locations for admins', async () => {
        await catalog
          .as(jane)
          .post('/api/catalog/locations?dryRun=true')
          .send(extraLocation)
          .expect(403);
        await catalog
          .as(root)
          .post('/api/catalog/locations?dryRun=true')
          .send(extraLocation)
          .expect(201);
      });
    });
  },
);
