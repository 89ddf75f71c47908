import type { Knex } from 'knex';
import { migrateDatabase } from './migrateDatabase';

/** A knex whose migrate.latest fails with the given errors, then succeeds. */
function knexFailing(...errors: Error[]) {
  const calls: Array<{ tableName?: string; names: string[] }> = [];
  const knex = {
    migrate: {
      async latest(config: Knex.MigratorConfig) {
        const source = config.migrationSource as Knex.MigrationSource<string>;
        calls.push({
          tableName: config.tableName,
          names: await source.getMigrations([]),
        });
        const error = errors.shift();
        if (error) throw error;
      },
    },
  } as unknown as Knex;
  return { knex, calls };
}

const options = {
  migrations: { b_second: {} as Knex.Migration, a_first: {} as Knex.Migration },
  tableName: 'todo__knex_migrations',
  failure: 'Could not migrate the todo database',
  fix: 'Check that the database is reachable.',
};

describe('migrateDatabase', () => {
  it('runs the migrations in name order with its own migrations table', async () => {
    const { knex, calls } = knexFailing();
    await migrateDatabase(knex, options);
    expect(calls).toEqual([
      { tableName: 'todo__knex_migrations', names: ['a_first', 'b_second'] },
    ]);
  });

  it("waits for another replica's lock and for a race creating the table", async () => {
    const { knex, calls } = knexFailing(
      Object.assign(new Error('locked'), { name: 'MigrationLocked' }),
      Object.assign(new Error('exists'), { code: '42P07' }),
    );
    await migrateDatabase(knex, options);
    expect(calls).toHaveLength(3);
  });

  it('names the lock table when the lock outlives the wait', async () => {
    const { knex } = knexFailing(
      Object.assign(new Error('locked'), { name: 'MigrationLocked' }),
    );
    await expect(
      migrateDatabase(knex, { ...options, lockWaitMs: 0 }),
    ).rejects.toThrow(
      "Could not migrate the todo database (migrations table 'todo__knex_migrations'). If no other replica is migrating, a crashed one left the lock behind: set is_locked = 0 in 'todo__knex_migrations_lock'.",
    );
  });

  it("gives the caller's fix, with the database error as the cause, for other failures", async () => {
    const cause = new Error('connection refused');
    const { knex } = knexFailing(cause);
    const error: Error = await migrateDatabase(knex, options).then(
      () => new Error('resolved'),
      (e: Error) => e,
    );
    expect(error.message).toBe(
      "Could not migrate the todo database (migrations table 'todo__knex_migrations'). Check that the database is reachable.",
    );
    expect(error.cause).toBe(cause);
  });
});
