import { knex as createKnex, type Knex } from 'knex';
import { TestDatabases } from '@plinth/backend-test-utils';
import {
  applyDatabaseMigrations,
  CATALOG_MIGRATIONS_TABLE,
} from './applyDatabaseMigrations';

const databases = TestDatabases.create();
const lockTable = `${CATALOG_MIGRATIONS_TABLE}_lock`;

describe('applyDatabaseMigrations', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    it('applies each migration once however often it runs', async () => {
      await applyDatabaseMigrations(knex);
      await expect(
        knex(CATALOG_MIGRATIONS_TABLE).pluck('name'),
      ).resolves.toEqual([
        '20250701000000_init',
        '20261124000000_catalogGeneration',
        '20261201000000_processingClaims',
        '20261201000001_catalogGenerationPerBackend',
        '20261206000000_searchKeyValueCovering',
        '20261207000001_entityHistory',
        '20261207000003_catalogDiagnostics',
        '20261207000009_historyPublisherLease',
        '20261207000010_relationsCascadeByStatement',
        '20261207000011_firstRunQueueIndex',
        '20261207000012_stitchQueueTable',
        '20261207000013_searchFacetOrder',
        '20261207000014_stitchQueueFirstStitch',
      ]);
    });

    it('creates the catalog tables', async () => {
      for (const table of [
        'locations',
        'refresh_state',
        'refresh_state_references',
        'relations',
        'final_entities',
        'search',
        'refresh_keys',
        'stitch_queue',
      ]) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(true);
      }
    });

    it('creates an index for each hot query', async () => {
      const result = await knex.raw<{ rows: Array<{ indexname: string }> }>(
        'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname',
      );
      expect(result.rows.map(r => r.indexname)).toEqual(
        expect.arrayContaining([
          'refresh_state_next_update_at_idx',
          'refresh_state_first_run_idx',
          'stitch_queue_next_stitch_at_idx',
          'refresh_state_entity_ref_unique',
          'relations_source_idx',
          'relations_target_idx',
          'relations_originating_idx',
          'search_key_value_idx',
          'search_entity_id_idx',
          'refresh_state_references_source_key_unique',
          'refresh_state_references_source_entity_unique',
          'refresh_state_references_target_idx',
          'refresh_keys_key_idx',
        ]),
      );
    });

    it('keeps the entity id and the value as written in the search index by key and value, in the order of the value as written, so filters read the index alone and facets count in its order', async () => {
      const result = await knex.raw<{ rows: Array<{ indexdef: string }> }>(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'search' ORDER BY indexname",
      );
      expect(
        result.rows.map(r =>
          r.indexdef.replace(/ ON .*search /, ' ON search '),
        ),
      ).toEqual([
        'CREATE INDEX search_entity_id_idx ON search USING btree (entity_id)',
        'CREATE INDEX search_key_value_idx ON search USING btree (key, value, original_value) INCLUDE (entity_id)',
      ]);
    });

    it('rejects a reference with both or neither source', async () => {
      await knex('refresh_state').insert({
        entity_id: 'a',
        entity_ref: 'component:default/a',
        unprocessed_entity: '{}',
        unprocessed_hash: 'h',
        next_update_at: knex.fn.now(),
      });
      await expect(
        knex('refresh_state_references').insert({
          target_entity_ref: 'component:default/a',
        }),
      ).rejects.toMatchObject({ code: '23514' });
      await expect(
        knex('refresh_state_references').insert({
          source_key: 'provider',
          source_entity_ref: 'component:default/a',
          target_entity_ref: 'component:default/a',
        }),
      ).rejects.toMatchObject({ code: '23514' });
    });

    it('deletes the search rows of an entity with its served row, also by cascade', async () => {
      for (const name of ['x', 'y', 'z']) {
        await knex('refresh_state').insert({
          entity_id: name,
          entity_ref: `component:default/${name}`,
          unprocessed_entity: '{}',
          unprocessed_hash: 'h',
          next_update_at: knex.fn.now(),
        });
        await knex('final_entities').insert({
          entity_id: name,
          entity_ref: `component:default/${name}`,
          hash: 'h',
          final_entity: '{}',
          last_updated_at: knex.fn.now(),
        });
        await knex('search').insert({
          entity_id: name,
          key: 'kind',
          value: 'component',
        });
      }

      await knex('final_entities').where({ entity_id: 'x' }).delete();
      await knex('refresh_state').where({ entity_id: 'y' }).delete();

      await expect(knex('search').pluck('entity_id')).resolves.toEqual(['z']);
    });

    it('deletes the relations an entity originated when its refresh state is deleted', async () => {
      for (const name of ['a', 'b']) {
        await knex('refresh_state').insert({
          entity_id: `rel-${name}`,
          entity_ref: `component:default/rel-${name}`,
          unprocessed_entity: '{}',
          unprocessed_hash: 'h',
          next_update_at: knex.fn.now(),
        });
        await knex('relations').insert(
          ['dependsOn', 'ownedBy'].map(type => ({
            originating_entity_id: `rel-${name}`,
            source_entity_ref: `component:default/rel-${name}`,
            type,
            target_entity_ref: 'resource:default/db',
          })),
        );
      }

      await knex('refresh_state').where({ entity_id: 'rel-a' }).delete();

      await expect(
        knex('relations')
          .where('originating_entity_id', 'like', 'rel-%')
          .orderBy('type')
          .pluck('originating_entity_id'),
      ).resolves.toEqual(['rel-b', 'rel-b']);
    });

    it('frees a migration lock a crashed replica left behind', async () => {
      await knex(lockTable).update({ is_locked: 1 });
      await applyDatabaseMigrations(knex);
      await expect(knex(lockTable).pluck('is_locked')).resolves.toEqual([0]);
    });
  });

  it('forwards a database it cannot reach with the cause', async () => {
    const unreachable = createKnex({
      client: 'pg',
      connection: 'postgres://postgres@127.0.0.1:1/postgres',
      acquireConnectionTimeout: 2000,
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
    try {
      await expect(applyDatabaseMigrations(unreachable)).rejects.toMatchObject({
        message:
          "Could not migrate the catalog database (migrations table 'catalog__knex_migrations'). Check that the catalog's database is reachable and that its user may create tables.",
        cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
      });
    } finally {
      await unreachable.destroy();
    }
  });
});
