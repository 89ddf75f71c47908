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
        knex(SCHEDULER_MIGRATIONS_TABLE).pluck('name'),
      ).resolves.toEqual(['20250601000000_create_tasks']);
    });

    it('waits while another replica holds the migration lock', async () => {
      await migrateSchedulerTables(knex, { pluginId: 'catalog' });
      await knex(lockTable).update({ is_locked: 1 });
      let done = false;
      const migrating = migrateSchedulerTables(knex, {
        pluginId: 'catalog',
      }).then(() => (done = true));
      await new Promise(resolve => setTimeout(resolve, 150));
      expect(done).toBe(false);
      await knex(lockTable).update({ is_locked: 0 });
      await migrating;
      expect(done).toBe(true);
    });

    it('names the lock table when the lock is never released', async () => {
      await migrateSchedulerTables(knex, { pluginId: 'catalog' });
      await knex(lockTable).update({ is_locked: 1 });
      await expect(
        migrateSchedulerTables(knex, { pluginId: 'catalog', lockWaitMs: 100 }),
      ).rejects.toMatchObject({
        name: 'MigrationLocked',
        message:
          "Could not create the scheduler tables of plugin 'catalog' (migrations table 'plinth_scheduler__knex_migrations'). If no other replica is migrating, a crashed one left the lock behind: set is_locked = 0 in 'plinth_scheduler__knex_migrations_lock'.",
      });
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
