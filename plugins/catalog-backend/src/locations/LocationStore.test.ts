import { randomUUID } from 'node:crypto';
import { TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import type { EntityPermissionFilter } from '../entities/EntitiesCatalog';
import { LocationStore } from './LocationStore';
import { locationSpecToLocationEntity } from './locationSpecToLocationEntity';

const databases = TestDatabases.create();

/** Records mutations; fails them while `failing` is set. */
class RecordingConnection implements EntityProviderConnection {
  mutations: EntityProviderMutation[] = [];
  failing: Error | undefined;
  async applyMutation(mutation: EntityProviderMutation): Promise<void> {
    if (this.failing) {
      throw this.failing;
    }
    this.mutations.push(mutation);
  }
  async refresh(): Promise<void> {}
}

const urlSpec = {
  type: 'url',
  target: 'https://git.example.com/catalog-info.yaml',
};

async function insertFinalEntity(knex: Knex, entity: Entity): Promise<void> {
  const entityId = randomUUID();
  const ref =
    `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase();
  await knex('refresh_state').insert({
    entity_id: entityId,
    entity_ref: ref,
    unprocessed_entity: JSON.stringify(entity),
    unprocessed_hash: 'h',
    next_update_at: knex.fn.now(),
  });
  await knex('final_entities').insert({
    entity_id: entityId,
    entity_ref: ref,
    hash: 'h',
    final_entity: JSON.stringify(entity),
    last_updated_at: knex.fn.now(),
  });
}

function componentFrom(name: string, origin?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      ...(origin
        ? { annotations: { 'backstage.io/managed-by-origin-location': origin } }
        : {}),
    },
  };
}

describe('LocationStore', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let store: LocationStore;
    let connection: RecordingConnection;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await knex('refresh_state').delete();
      await knex('locations').delete();
      store = new LocationStore({ knex });
      connection = new RecordingConnection();
    });

    it('is the entity provider DefaultLocationStore', () => {
      expect(store.getProviderName()).toBe('DefaultLocationStore');
    });

    it('replaces its entities with one Location entity per stored location on connect', async () => {
      await knex('locations').insert({ id: 'a', ...urlSpec });
      await store.connect(connection);
      expect(connection.mutations).toEqual([
        { type: 'full', entities: [locationSpecToLocationEntity(urlSpec)] },
      ]);
    });

    it('stores a new location and adds its Location entity', async () => {
      await store.connect(connection);
      const location = await store.createLocation(urlSpec);
      expect(location).toEqual({ id: expect.any(String), ...urlSpec });
      await expect(store.listLocations()).resolves.toEqual([location]);
      await expect(store.getLocation(location.id)).resolves.toEqual(location);
      expect(connection.mutations[1]).toEqual({
        type: 'delta',
        added: [locationSpecToLocationEntity(urlSpec)],
        removed: [],
      });
    });

    it('refuses a location that is already stored, naming its id', async () => {
      await store.connect(connection);
      const first = await store.createLocation(urlSpec);
      await expect(store.createLocation(urlSpec)).rejects.toMatchObject({
        name: 'ConflictError',
        message: `Location 'url:${urlSpec.target}' already exists with id '${first.id}'. Delete it first to register it again, or refresh the entities it provides.`,
      });
      await expect(store.listLocations()).resolves.toHaveLength(1);
    });

    it('removes the stored location again when its entity cannot be added', async () => {
      await store.connect(connection);
      connection.failing = new Error('the catalog refused the mutation');
      await expect(store.createLocation(urlSpec)).rejects.toBe(
        connection.failing,
      );
      await expect(store.listLocations()).resolves.toEqual([]);
    });

    it('refuses changes before the catalog connects it', async () => {
      const message =
        'The catalog has not connected its location store yet, so locations cannot be changed. Try again once the catalog has started.';
      await expect(store.createLocation(urlSpec)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message,
      });
      await expect(store.deleteLocation('x')).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message,
      });
    });

    it('deletes a location and removes its Location entity', async () => {
      await store.connect(connection);
      const location = await store.createLocation(urlSpec);
      await store.deleteLocation(location.id);
      await expect(store.listLocations()).resolves.toEqual([]);
      expect(connection.mutations[2]).toEqual({
        type: 'delta',
        added: [],
        removed: [locationSpecToLocationEntity(urlSpec)],
      });
    });

    it('keeps the location when its entity cannot be removed', async () => {
      await store.connect(connection);
      const location = await store.createLocation(urlSpec);
      connection.failing = new Error('the catalog refused the mutation');
      await expect(store.deleteLocation(location.id)).rejects.toBe(
        connection.failing,
      );
      await expect(store.listLocations()).resolves.toEqual([location]);
    });

    it('points a location at another target, replacing its Location entity', async () => {
      await store.connect(connection);
      const location = await store.createLocation(urlSpec);
      const moved = {
        type: 'url',
        target: 'https://git.example.com/moved.yaml',
      };
      await expect(store.updateLocation(location.id, moved)).resolves.toEqual({
        id: location.id,
        ...moved,
      });
      await expect(store.listLocations()).resolves.toEqual([
        { id: location.id, ...moved },
      ]);
      expect(connection.mutations[2]).toEqual({
        type: 'delta',
        added: [locationSpecToLocationEntity(moved)],
        removed: [locationSpecToLocationEntity(location)],
      });
    });

    it('changes nothing when a location is pointed at its own target', async () => {
      await store.connect(connection);
      const location = await store.createLocation(urlSpec);
      await expect(store.updateLocation(location.id, urlSpec)).resolves.toEqual(
        location,
      );
      expect(connection.mutations).toHaveLength(2);
    });

    it('refuses to point a location at the target of another, naming it', async () => {
      await store.connect(connection);
      const first = await store.createLocation(urlSpec);
      const other = {
        type: 'url',
        target: 'https://git.example.com/other.yaml',
      };
      const second = await store.createLocation(other);
      await expect(
        store.updateLocation(second.id, urlSpec),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: `Location 'url:${urlSpec.target}' already exists with id '${first.id}'. Delete it first to register it again, or refresh the entities it provides.`,
      });
      await expect(store.getLocation(second.id)).resolves.toEqual(second);
    });

    it('restores the target of a location when its entity cannot be replaced', async () => {
      await store.connect(connection);
      const location = await store.createLocation(urlSpec);
      connection.failing = new Error('the catalog refused the mutation');
      await expect(
        store.updateLocation(location.id, {
          type: 'url',
          target: 'https://git.example.com/moved.yaml',
        }),
      ).rejects.toBe(connection.failing);
      await expect(store.getLocation(location.id)).resolves.toEqual(location);
    });

    it('pages the locations that match criteria in id order, counting every match', async () => {
      await knex('locations').insert([
        { id: 'a', type: 'url', target: 'https://git.example.com/A_1.yaml' },
        { id: 'b', type: 'url', target: 'https://git.example.com/a%2.yaml' },
        { id: 'c', type: 'file', target: '/srv/catalog.yaml' },
        { id: 'd', type: 'url', target: 'https://other.example.com/x.yaml' },
        { id: 'e', type: 'URL', target: 'https://git.example.com/b.yaml' },
      ]);
      const criteria: EntityPermissionFilter = {
        allOf: [
          { key: 'type', values: ['url'] },
          { key: 'target', prefix: 'HTTPS://git.example.com/' },
        ],
      };
      const first = await store.queryLocations({ criteria, limit: 2 });
      expect(first.items.map(l => l.id)).toEqual(['a', 'b']);
      expect(first).toMatchObject({ totalItems: 3, hasMore: true });
      const rest = await store.queryLocations({
        criteria,
        afterId: 'b',
        limit: 2,
      });
      expect(rest.items.map(l => l.id)).toEqual(['e']);
      expect(rest).toMatchObject({ totalItems: 3, hasMore: false });
      // The prefix's `_` and `%` match only themselves.
      const literal = await store.queryLocations({
        criteria: {
          anyOf: [
            { key: 'target', prefix: 'https://git.example.com/a_' },
            { key: 'target', prefix: 'https://git.example.com/a%' },
          ],
        },
        limit: 10,
      });
      expect(literal.items.map(l => l.id)).toEqual(['a', 'b']);
      const notUrl = await store.queryLocations({
        criteria: { not: { key: 'type', values: ['url'] } },
        limit: 10,
      });
      expect(notUrl.items.map(l => l.id)).toEqual(['c']);
    });

    it('reports an unknown location id', async () => {
      await store.connect(connection);
      const message =
        "No location with id 'nope' exists. List the registered locations with GET /locations.";
      await expect(store.getLocation('nope')).rejects.toMatchObject({
        name: 'NotFoundError',
        message,
      });
      await expect(store.deleteLocation('nope')).rejects.toMatchObject({
        name: 'NotFoundError',
        message,
      });
      await expect(store.updateLocation('nope', urlSpec)).rejects.toMatchObject(
        { name: 'NotFoundError', message },
      );
    });

    it('finds the registered location an entity came from', async () => {
      await store.connect(connection);
      const location = await store.createLocation(urlSpec);
      await insertFinalEntity(
        knex,
        componentFrom('Cart', `url:${urlSpec.target}`),
      );
      await expect(
        store.getLocationByEntity({
          kind: 'Component',
          namespace: 'default',
          name: 'cart',
        }),
      ).resolves.toEqual(location);
    });

    it('reports an entity the catalog does not have', async () => {
      await expect(
        store.getLocationByEntity({
          kind: 'Component',
          namespace: 'default',
          name: 'nope',
        }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message:
          "No entity 'component:default/nope' exists in the catalog. Check the kind, namespace and name.",
      });
    });

    it('reports an entity without an origin location', async () => {
      await insertFinalEntity(knex, componentFrom('bare'));
      await expect(
        store.getLocationByEntity({
          kind: 'Component',
          namespace: 'default',
          name: 'bare',
        }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message:
          "Entity 'component:default/bare' has no 'backstage.io/managed-by-origin-location' annotation, so it did not come from a location.",
      });
    });

    it('reports an entity whose origin location was not registered through the API', async () => {
      await insertFinalEntity(
        knex,
        componentFrom('configured', 'file:/app/catalog.yaml'),
      );
      await expect(
        store.getLocationByEntity({
          kind: 'Component',
          namespace: 'default',
          name: 'configured',
        }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message:
          "Entity 'component:default/configured' came from location 'file:/app/catalog.yaml', which is not registered through the API; it comes from 'catalog.locations' in config or from an entity provider.",
      });
    });
  });
});
