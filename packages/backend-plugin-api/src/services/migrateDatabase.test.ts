import { TestDatabases } from '@plinth/backend-test-utils';
import { knex as createKnex, type Knex } from 'knex';
import { migrateDatabase } from './migrateDatabase';

const databases = TestDatabases.create();
const tableName = 'todo__knex_migrations';
const lockTable = `${tableName}_lock`;

/** Migrations that count how often each ran. */
function countedMigrations() {
  const runs = { a_first: 0, b_second: 0 };
  const migrations: Record<string, Knex.Migration> = {
    b_second: {
      async up(knex) {
        runs.b_second += 1;
        await knex.schema.alterTable('todos', t => t.text('title'));
      },
      async down() {},
    },
    a_first: {
      async up(knex) {
        runs.a_first += 1;
        await knex.schema.createTable('todos', t => t.text('id').primary());
      },
      async down() {},
    },
  };
  return { runs, migrations };
}

const options = {
  tableName,
  failure: 'Could not migrate the todo database',
  fix: 'Check that the database is reachable.',
};

/** Opens a pool of its own on the database of `knex`, as another replica would. */
function openReplica(knex: Knex): Knex {
  return createKnex({
    client: 'pg',
    connection: (knex.client as Knex.Client).config.connection as string,
    pool: { min: 0, max: 3 },
  });
}

describe('migrateDatabase', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(id);
    });

    it('runs each migration once, in name order, with its own migrations table', async () => {
      const { runs, migrations } = countedMigrations();
      await migrateDatabase(knex, { ...options, migrations });
      await migrateDatabase(knex, { ...options, migrations });
      expect(runs).toEqual({ a_first: 1, b_second: 1 });
      await expect(
        knex(tableName).orderBy('id').pluck('name'),
      ).resolves.toEqual(['a_first', 'b_second']);
    });

    it('frees a knex lock left behind by a crashed process, with a warning', async () => {
      const first = countedMigrations();
      await migrateDatabase(knex, {
        ...options,
        migrations: { a_first: first.migrations.a_first },
      });
      await knex(lockTable).update({ is_locked: 1 });
      const warn = jest.spyOn((knex.client as Knex.Client).logger, 'warn');
      const { runs, migrations } = countedMigrations();
      await migrateDatabase(knex, { ...options, migrations });
      expect(runs).toEqual({ a_first: 0, b_second: 1 });
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Freed the knex migration lock in 'todo__knex_migrations_lock', which was left locked \(1 rows, 1 locked\) by a process that stopped while migrating: no other process is migrating 'todo__knex_migrations', as this one holds its PostgreSQL advisory lock -?\d+\.$/,
        ),
      );
      await expect(knex(lockTable).pluck('is_locked')).resolves.toEqual([0]);
    });

    it('starts an older version on a schema a newer version migrated, with a warning', async () => {
      const { migrations } = countedMigrations();
      await migrateDatabase(knex, { ...options, migrations });
      const warn = jest.spyOn((knex.client as Knex.Client).logger, 'warn');
      await migrateDatabase(knex, {
        ...options,
        migrations: { a_first: migrations.a_first },
      });
      expect(warn).toHaveBeenCalledWith(
        "The migrations table 'todo__knex_migrations' lists migrations this version does not have ('b_second'): a newer version ran them, and this one starts on the newer schema, as during a rolling upgrade. Migrations are forward-only; to go back to this version for good, restore a backup taken before the upgrade.",
      );
    });

    it('rolls back every pending migration when one fails, naming the fix', async () => {
      const cause = new Error('column already exists');
      const { migrations } = countedMigrations();
      const failing = {
        ...migrations,
        b_second: {
          async up() {
            throw cause;
          },
          async down() {},
        },
      };
      const error: Error = await migrateDatabase(knex, {
        ...options,
        migrations: failing,
      }).then(
        () => new Error('resolved'),
        (e: Error) => e,
      );
      expect(error.message).toBe(
        "Could not migrate the todo database (migrations table 'todo__knex_migrations'). Check that the database is reachable.",
      );
      expect(error.cause).toBe(cause);
      // Even the migrations table, created in the same transaction, is gone.
      await expect(knex.schema.hasTable('todos')).resolves.toBe(false);
      await expect(knex.schema.hasTable(tableName)).resolves.toBe(false);

      await migrateDatabase(knex, { ...options, migrations });
      await expect(
        knex(tableName).orderBy('id').pluck('name'),
      ).resolves.toEqual(['a_first', 'b_second']);
    });
  });

  // Several sessions on one database are what PostgreSQL has and PGlite,
  // with its single connection, does not.
  const describeOnPostgres = databases.eachSupportedId().includes('POSTGRES')
    ? describe
    : describe.skip;

  describeOnPostgres('on POSTGRES with several processes', () => {
    const replicas: Knex[] = [];

    afterEach(async () => {
      await Promise.all(replicas.splice(0).map(r => r.destroy()));
    });

    it('runs each migration once when replicas migrate an empty database together', async () => {
      const knex = await databases.init('POSTGRES');
      replicas.push(...Array.from({ length: 6 }, () => openReplica(knex)));
      const { runs, migrations } = countedMigrations();
      await Promise.all(
        replicas.map(replica =>
          migrateDatabase(replica, { ...options, migrations }),
        ),
      );
      expect(runs).toEqual({ a_first: 1, b_second: 1 });
      await expect(knex(lockTable).pluck('is_locked')).resolves.toEqual([0]);
    });

    it('fails with MigrationLocked, naming the table, when another process migrates past the wait', async () => {
      const knex = await databases.init('POSTGRES');
      const other = openReplica(knex);
      replicas.push(other);
      let release!: () => void;
      const holding = new Promise<void>(resolve => (release = resolve));
      let markStarted!: () => void;
      const started = new Promise<void>(resolve => (markStarted = resolve));
      const slow = migrateDatabase(other, {
        ...options,
        migrations: {
          a_first: {
            async up() {
              markStarted();
              await holding;
            },
            async down() {},
          },
        },
      });
      await started;

      await expect(
        migrateDatabase(knex, {
          ...options,
          migrations: countedMigrations().migrations,
          lockWaitMs: 200,
        }),
      ).rejects.toMatchObject({
        name: 'MigrationLocked',
        message: expect.stringMatching(
          /^Could not migrate the todo database \(migrations table 'todo__knex_migrations'\)\. Another process has been migrating it for more than 0\.2 s \(it holds PostgreSQL advisory lock -?\d+\); wait for it to finish, or find it with SELECT pid FROM pg_locks WHERE locktype = 'advisory' and stop it\.$/,
        ),
      });
      release();
      await slow;
    });

    it('lets the next process migrate once a process holding the lock dies', async () => {
      const knex = await databases.init('POSTGRES');
      const other = openReplica(knex);
      replicas.push(other);
      let markStarted!: () => void;
      const started = new Promise<void>(resolve => (markStarted = resolve));
      const dying = migrateDatabase(other, {
        ...options,
        migrations: {
          a_first: {
            async up(trx) {
              markStarted();
              await trx.raw('SELECT pg_sleep(60)');
            },
            async down() {},
          },
        },
      });
      await started;
      const waiting = migrateDatabase(knex, {
        ...options,
        migrations: countedMigrations().migrations,
      });
      // The server ends the dying process's session, as when it crashes.
      await knex.raw(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE '%pg_sleep(60)%'
           AND pid <> pg_backend_pid()`,
      );
      await expect(dying).rejects.toThrow('Could not migrate');
      await waiting;
      await expect(
        knex(tableName).orderBy('id').pluck('name'),
      ).resolves.toEqual(['a_first', 'b_second']);
    });
  });
});
