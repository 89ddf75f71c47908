import type { Knex } from 'knex';

/** A promise with its resolve function, to hold a transaction open. */
function createGate() {
  let open!: () => void;
  const opened = new Promise<void>(resolve => {
    open = resolve;
  });
  return { open, opened };
}

/** In-memory migrations that create one table, named per plugin. */
function createMigrations(table: string): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => ['20240101_create_table'],
    getMigrationName: name => name,
    getMigration: async () => ({
      up: knex =>
        knex.schema.createTable(table, t => {
          t.increments('id');
        }),
      down: knex => knex.schema.dropTable(table),
    }),
  };
}

async function listTables(client: Knex): Promise<string[]> {
  return client<{ table_name: string }>('information_schema.tables')
    .whereRaw('table_schema = current_schema()')
    .orderBy('table_name')
    .pluck('table_name');
}

/**
 * Behaviour every database setup shares, whatever the client and division
 * mode: each plugin's data, transactions and migrations stay its own.
 * `getClient` opens a plugin's client from a manager that the caller
 * creates and closes; plugin ids start with `conformance-`.
 */
export function describeDatabaseManagerConformance(
  getClient: (pluginId: string) => Promise<Knex>,
): void {
  it('gives each plugin tables of its own', async () => {
    const one = await getClient('conformance-tables-one');
    const two = await getClient('conformance-tables-two');
    for (const [client, name] of [
      [one, 'from one'],
      [two, 'from two'],
    ] as const) {
      await client.schema.createTable('items', t => t.string('name'));
      await client('items').insert({ name });
    }

    await expect(one('items').pluck('name')).resolves.toEqual(['from one']);
    await expect(two('items').pluck('name')).resolves.toEqual(['from two']);
  });

  it('returns the same client on every call for a plugin', async () => {
    const first = getClient('conformance-same');
    const second = getClient('conformance-same');

    await expect(second).resolves.toBe(await first);
  });

  it('keeps concurrent transactions of two plugins apart, and rolls back only the failed one', async () => {
    const one = await getClient('conformance-trx-one');
    const two = await getClient('conformance-trx-two');
    await one.schema.createTable('entries', t => t.string('name'));
    await two.schema.createTable('entries', t => t.string('name'));
    const gate = createGate();

    const committed = one.transaction(async trx => {
      await trx('entries').insert({ name: 'one-a' });
      await gate.opened;
      await trx('entries').insert({ name: 'one-b' });
    });
    const rolledBack = two.transaction(async trx => {
      await trx('entries').insert({ name: 'two-a' });
      throw new Error('two fails');
    });
    gate.open();

    await expect(rolledBack).rejects.toThrow('two fails');
    await committed;
    await expect(one('entries').orderBy('name').pluck('name')).resolves.toEqual(
      ['one-a', 'one-b'],
    );
    await expect(two('entries').pluck('name')).resolves.toEqual([]);
  });

  it('runs and rolls back the migrations of two plugins concurrently, each in its own place', async () => {
    const one = await getClient('conformance-migrate-one');
    const two = await getClient('conformance-migrate-two');

    await Promise.all([
      one.migrate.latest({ migrationSource: createMigrations('one_table') }),
      two.migrate.latest({ migrationSource: createMigrations('two_table') }),
    ]);

    await expect(listTables(one)).resolves.toEqual([
      'knex_migrations',
      'knex_migrations_lock',
      'one_table',
    ]);
    await expect(listTables(two)).resolves.toEqual([
      'knex_migrations',
      'knex_migrations_lock',
      'two_table',
    ]);

    await one.migrate.rollback({
      migrationSource: createMigrations('one_table'),
    });

    await expect(listTables(one)).resolves.not.toContain('one_table');
    await expect(one('knex_migrations').pluck('name')).resolves.toEqual([]);
    await expect(two('knex_migrations').pluck('name')).resolves.toEqual([
      '20240101_create_table',
    ]);
    await expect(listTables(two)).resolves.toContain('two_table');
  });
}
