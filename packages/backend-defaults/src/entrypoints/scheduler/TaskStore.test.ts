import { knex as createKnex, type Knex } from 'knex';
import { TestDatabases } from '@plinth/backend-test-utils';
import {
  migrateSchedulerTables,
  SCHEDULER_MIGRATIONS_TABLE,
} from './TaskStore';

const databases = TestDatabases.create();
const lockTable = `${SCHEDULER_MIGRATIONS_TABLE}_lock`;

describe('migrateSchedulerTables', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(id);
    });

    it('applies each migration once however often it runs', async () => {
      await migrateSchedulerTables(knex, { pluginId: 'catalog' });
      await migrateSchedulerTables(knex, { pluginId: 'catalog' });
      await expect(
        knex(SCHEDULER_MIGRATIONS_TABLE).orderBy('id').pluck('name'),
      ).resolves.toEqual([
        '20250601000000_create_tasks',
        '20261206000000_add_fencing_token',
      ]);
    });

    it('frees a migration lock a crashed replica left behind', async () => {
      await migrateSchedulerTables(knex, { pluginId: 'catalog' });
      await knex(lockTable).update({ is_locked: 1 });
      await migrateSchedulerTables(knex, { pluginId: 'catalog' });
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
      const failure = migrateSchedulerTables(unreachable, {
        pluginId: 'catalog',
      });
      await expect(failure).rejects.toMatchObject({
        message:
          "Could not create the scheduler tables of plugin 'catalog' (migrations table 'plinth_scheduler__knex_migrations'). Check that the plugin's database is reachable and that its user may create tables.",
        cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
      });
    } finally {
      await unreachable.destroy();
    }
  });
});
