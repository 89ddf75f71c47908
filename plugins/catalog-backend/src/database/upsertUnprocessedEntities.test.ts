import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import {
  upsertUnprocessedEntities,
  type UnprocessedEntityRow,
  describeLocationKeyConflict,
} from './upsertUnprocessedEntities';

const databases = TestDatabases.create();

function row(
  name: string,
  overrides: Partial<UnprocessedEntityRow> = {},
): UnprocessedEntityRow {
  return {
    entityRef: `component:default/${name}`,
    entity: `{"name":"${name}"}`,
    hash: `h-${name}`,
    locationKey: 'url:one',
    sourceKey: 'one',
    sourceEntityRef: null,
    ...overrides,
  };
}

describe('upsertUnprocessedEntities', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
    });

    const upsert = (rows: UnprocessedEntityRow[]) =>
      knex.transaction(tx => upsertUnprocessedEntities(tx, rows));

    const reference = (name: string, source: string) =>
      knex('refresh_state_references').insert({
        source_key: source,
        target_entity_ref: `component:default/${name}`,
      });

    const stored = async (name: string) =>
      knex('refresh_state')
        .where({ entity_ref: `component:default/${name}` })
        .first<{
          unprocessed_hash: string;
          location_key: string | null;
          xmin: string;
        }>('unprocessed_hash', 'location_key', knex.raw('xmin::text AS xmin'));

    it('inserts new entities and accepts unchanged ones without writing them', async () => {
      await expect(upsert([row('a'), row('b')])).resolves.toEqual({
        accepted: ['component:default/a', 'component:default/b'],
        conflicts: [],
      });
      const before = await stored('a');

      await expect(upsert([row('a')])).resolves.toEqual({
        accepted: ['component:default/a'],
        conflicts: [],
      });

      await expect(stored('a')).resolves.toEqual(before);
    });

    it('updates a changed entity', async () => {
      await upsert([row('a')]);

      await upsert([row('a', { hash: 'h2' })]);

      await expect(stored('a')).resolves.toMatchObject({
        unprocessed_hash: 'h2',
      });
    });

    it('refuses an entity whose ref another source owns under another location key', async () => {
      await upsert([row('a')]);
      await reference('a', 'one');

      const result = await upsert([
        row('a', { hash: 'h2', locationKey: 'url:two', sourceKey: 'two' }),
      ]);

      expect(result).toEqual({
        accepted: [],
        conflicts: [
          {
            entityRef: 'component:default/a',
            locationKey: 'url:two',
            existingLocationKey: 'url:one',
            sourceKey: 'two',
            sourceEntityRef: null,
          },
        ],
      });
      await expect(stored('a')).resolves.toMatchObject({
        unprocessed_hash: 'h-a',
      });
    });

    it('lets an entity without a location key be taken over', async () => {
      await upsert([row('a', { locationKey: null })]);
      await reference('a', 'one');

      await upsert([row('a', { locationKey: 'url:two', sourceKey: 'two' })]);

      await expect(stored('a')).resolves.toMatchObject({
        location_key: 'url:two',
      });
    });

    it('refuses an entity without a location key over one that has a key', async () => {
      await upsert([row('a')]);
      await reference('a', 'one');

      const result = await upsert([
        row('a', { locationKey: null, sourceKey: 'two' }),
      ]);

      expect(result.conflicts).toHaveLength(1);
    });

    it('lets a source move an entity only it references to another location key', async () => {
      await upsert([row('a')]);
      await reference('a', 'one');

      await upsert([row('a', { locationKey: 'url:moved' })]);

      await expect(stored('a')).resolves.toMatchObject({
        location_key: 'url:moved',
      });
    });
  });
});

describe('describeLocationKeyConflict', () => {
  it('names the entity, both locations and the fix', () => {
    expect(
      describeLocationKeyConflict({
        entityRef: 'component:default/x',
        locationKey: 'url:B',
        existingLocationKey: 'file:A',
        sourceKey: null,
        sourceEntityRef: 'location:default/b',
      }),
    ).toBe(
      "Entity 'component:default/x' from location 'url:B' conflicts with the same entity already provided by location 'file:A'; remove one of them, or delete the entity so the other can claim it.",
    );
  });

  it('names the entity provider and sources without a location key', () => {
    expect(
      describeLocationKeyConflict({
        entityRef: 'group:default/a',
        locationKey: null,
        existingLocationKey: null,
        sourceKey: 'org',
        sourceEntityRef: null,
      }),
    ).toBe(
      "Entity 'group:default/a' without a location key of entity provider 'org' conflicts with the same entity already provided by a source without a location key; remove one of them, or delete the entity so the other can claim it.",
    );
  });
});
