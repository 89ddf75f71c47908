import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { knex, type Knex } from 'knex';
import { startTestBackend } from './startTestBackend';
import { TestDatabases, type TestDatabaseId } from './TestDatabases';

const variable = 'PLINTH_TEST_POSTGRES_URL';
const databases = TestDatabases.create();

/** Runs `fn` with the variable set to `value`, or unset for undefined. */
async function withPostgresUrl<T>(
  value: string | undefined,
  fn: () => T | Promise<T>,
): Promise<T> {
  const saved = process.env[variable];
  if (value === undefined) {
    delete process.env[variable];
  } else {
    process.env[variable] = value;
  }
  try {
    return await fn();
  } finally {
    if (saved === undefined) {
      delete process.env[variable];
    } else {
      process.env[variable] = saved;
    }
  }
}

describe('TestDatabases', () => {
  describe.each(databases.eachSupportedId())('with %s', id => {
    it('gives a fresh, empty database on each init', async () => {
      const first = await databases.init(id);
      await first.schema.createTable('items', table => {
        table.string('name');
      });
      await first('items').insert({ name: 'a' });

      const second = await databases.init(id);

      await expect(second.schema.hasTable('items')).resolves.toBe(false);
      await expect(first('items').pluck('name')).resolves.toEqual(['a']);
    });

    it('gives each plugin of a test backend a database of its own', async () => {
      const clients: Knex[] = [];
      const plugin = (pluginId: string) =>
        createBackendPlugin({
          pluginId,
          register(env) {
            env.registerInit({
              deps: { database: coreServices.database },
              async init({ database }) {
                const client = await database.getClient();
                await client.schema.createTable('notes', t => t.string('text'));
                await client('notes').insert({ text: pluginId });
                clients.push(client);
              },
            });
          },
        });

      const backend = await startTestBackend({
        features: [plugin('one'), plugin('two'), databases.factory(id)],
      });

      expect(clients).toHaveLength(2);
      for (const client of clients) {
        await expect(client('notes').pluck('text')).resolves.toHaveLength(1);
      }
      await backend.stop();
    });
  });

  it('supports PGlite always and PostgreSQL only when the variable is set', async () => {
    await withPostgresUrl(undefined, () =>
      expect(databases.eachSupportedId()).toEqual(['PGLITE']),
    );
    await withPostgresUrl('postgres://localhost/x', () =>
      expect(databases.eachSupportedId()).toEqual(['PGLITE', 'POSTGRES']),
    );
    await withPostgresUrl('postgres://localhost/x', () =>
      expect(
        TestDatabases.create({ ids: ['POSTGRES'] }).eachSupportedId(),
      ).toEqual(['POSTGRES']),
    );
  });

  it('rejects an unknown id', () => {
    expect(() =>
      TestDatabases.create({ ids: ['MYSQL' as TestDatabaseId] }),
    ).toThrow(
      "Unknown test database 'MYSQL'. Use one of 'PGLITE', 'POSTGRES'.",
    );
    expect(() =>
      TestDatabases.create({ ids: ['MYSQL' as TestDatabaseId] }),
    ).toThrow(
      expect.objectContaining({
        name: 'TestDatabaseError',
        code: 'TEST_DATABASE_UNKNOWN_ID',
      }),
    );
  });

  it('rejects a kind left out of ids', async () => {
    const onlyPostgres = TestDatabases.create({ ids: ['POSTGRES'] });

    await expect(onlyPostgres.init('PGLITE')).rejects.toThrow(
      "Test database 'PGLITE' is not enabled: TestDatabases.create() was given ids 'POSTGRES'. Add 'PGLITE' to ids, or iterate over eachSupportedId().",
    );
    await expect(onlyPostgres.init('PGLITE')).rejects.toMatchObject({
      code: 'TEST_DATABASE_NOT_ENABLED',
    });
  });

  it('explains that POSTGRES needs the variable', async () => {
    await withPostgresUrl(undefined, () =>
      expect(databases.init('POSTGRES')).rejects.toThrow(
        "Test database 'POSTGRES' is not available because PLINTH_TEST_POSTGRES_URL is not set. Set it to a server URL such as 'postgres://postgres@127.0.0.1:5432/postgres', or iterate over eachSupportedId(), which leaves POSTGRES out.",
      ),
    );
    await withPostgresUrl(undefined, () =>
      expect(databases.init('POSTGRES')).rejects.toMatchObject({
        code: 'TEST_DATABASE_POSTGRES_UNSET',
      }),
    );
  });

  it('rejects a variable that is not a postgres URL', async () => {
    await withPostgresUrl('mysql://root@localhost/db', () =>
      expect(() => databases.factory('POSTGRES')).toThrow(
        "Test database 'POSTGRES' is not available because PLINTH_TEST_POSTGRES_URL is not a postgres:// URL. Set it to a URL such as 'postgres://postgres@127.0.0.1:5432/postgres'.",
      ),
    );
    await withPostgresUrl('mysql://root@localhost/db', () =>
      expect(() => databases.factory('POSTGRES')).toThrow(
        expect.objectContaining({ code: 'TEST_DATABASE_POSTGRES_INVALID_URL' }),
      ),
    );
  });

  it('names the URL without its password and the variable when the server is unreachable', async () => {
    await withPostgresUrl(
      'postgres://postgres:s3cret@127.0.0.1:1/postgres',
      async () => {
        const init = databases.init('POSTGRES');

        await expect(init).rejects.toThrow(
          "Could not create a test database on 'postgres://postgres@127.0.0.1:1/postgres' (from PLINTH_TEST_POSTGRES_URL). Start the server or fix the URL, or unset PLINTH_TEST_POSTGRES_URL to test on PGlite only; the cause has the details.",
        );
        await expect(init).rejects.not.toThrow(/s3cret/);
        await expect(init).rejects.toMatchObject({
          code: 'TEST_DATABASE_POSTGRES_UNREACHABLE',
        });
      },
    );
  });

  // Last: it closes the file's databases.
  it('closes its clients and drops the PostgreSQL databases it created on shutdown', async () => {
    const pglite = await databases.init('PGLITE');
    const url = process.env[variable];
    const postgres = url ? await databases.init('POSTGRES') : undefined;
    const postgresName = postgres
      ? (
          await postgres.raw<{ rows: { name: string }[] }>(
            'SELECT current_database() AS name',
          )
        ).rows[0].name
      : undefined;

    await databases.shutdown();

    await expect(pglite.raw('SELECT 1')).rejects.toThrow();
    if (url && postgresName) {
      const admin = knex({ client: 'pg', connection: url });
      try {
        await expect(
          admin('pg_database').where('datname', postgresName).pluck('datname'),
        ).resolves.toEqual([]);
      } finally {
        await admin.destroy();
      }
    }
  });
});
