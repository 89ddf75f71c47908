import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import { type StitchedEntity, writeStitchedEntities } from './stitchedEntities';

const databases = TestDatabases.create();

describe('writeStitchedEntities', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      await knex('refresh_state').insert({
        entity_id: 'id-a',
        entity_ref: 'component:default/a',
        unprocessed_entity: '{}',
        unprocessed_hash: 'h',
        processed_entity: '{}',
        next_update_at: knex.fn.now(),
      });
    });

    const stitched = (
      hash: string,
      owner: string | undefined,
    ): StitchedEntity => ({
      entityId: 'id-a',
      entityRef: 'component:default/a',
      hash,
      finalEntity: JSON.stringify({ kind: 'Component', hash }),
      searchRows: [
        { key: 'kind', original_value: 'Component', value: 'component' },
        { key: 'metadata.name', original_value: 'a', value: 'a' },
        ...(owner
          ? [{ key: 'spec.owner', original_value: owner, value: owner }]
          : []),
      ],
    });

    const searchRows = () =>
      knex('search')
        .where({ entity_id: 'id-a' })
        .select('key', 'value')
        .orderBy(['key', 'value']);

    /** Writes a stitch of a claim with this ticket, as a stitcher does. */
    const writeStitch = async (ticket: string, entity: StitchedEntity) => {
      await knex('stitch_queue').insert({
        entity_id: 'id-a',
        next_stitch_at: knex.fn.now(),
        next_stitch_ticket: ticket,
      });
      await knex.transaction(tx =>
        writeStitchedEntities(tx, [{ entityId: 'id-a', ticket }], [entity]),
      );
    };

    it('writes each search row once when a stitch that read the entity before it was served writes after another stitch served it', async () => {
      // Both stitches read the entity while nothing of it was served, as
      // two rounds or replicas do when it is marked again mid-stitch.
      await writeStitch('t1', stitched('h1', undefined));
      await writeStitch('t2', stitched('h2', 'team-a'));

      await expect(searchRows()).resolves.toEqual([
        { key: 'kind', value: 'component' },
        { key: 'metadata.name', value: 'a' },
        { key: 'spec.owner', value: 'team-a' },
      ]);
    });

    it('removes the search rows a newer served form no longer has', async () => {
      await writeStitch('t1', stitched('h1', 'team-a'));
      await writeStitch('t2', stitched('h2', undefined));

      await expect(searchRows()).resolves.toEqual([
        { key: 'kind', value: 'component' },
        { key: 'metadata.name', value: 'a' },
      ]);
    });
  });
});
