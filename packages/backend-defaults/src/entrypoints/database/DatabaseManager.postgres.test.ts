import { mockServices } from '@plinth/backend-test-utils';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { knex, type Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { ConfigReader } from '../../config';
import { DatabaseManager } from './DatabaseManager';
import { describeDatabaseManagerConformance } from './DatabaseManager.conformance';

const url = process.env.PLINTH_TEST_POSTGRES_URL;
// These tests need a PostgreSQL server; set PLINTH_TEST_POSTGRES_URL, such
// as postgres://postgres@127.0.0.1:5432/postgres, to run them.
const describeWithPostgres = url ? describe : describe.skip;

/** Names unique to this run, so parallel test files never meet. */
const run = randomBytes(4).toString('hex');
const prefix = `plinth_dbtest_${run}_`;
const schemaDatabase = `plinth_dbtest_${run}`;
const roleWithoutCreateDb = `plinth_dbtest_${run}_nocreatedb`;

let admin: Knex;
const managers: DatabaseManager[] = [];

function createManager(database: JsonObject) {
  const manager = DatabaseManager.fromConfig(
    new ConfigReader({
      backend: {
        database: { client: 'pg', connection: url!, prefix, ...database },
      },
    }),
    { logger: mockServices.rootLogger() },
  );
  managers.push(manager);
  return manager;
}

function clientOf(manager: DatabaseManager, pluginId: string) {
  return manager
    .forPlugin(pluginId, { logger: mockServices.rootLogger() })
    .getClient();
}

async function listDatabases(): Promise<string[]> {
  return admin('pg_database')
    .where('datname', 'like', `plinth\\_dbtest\\_${run}%`)
    .orderBy('datname')
    .pluck('datname');
}

async function currentPlace(client: Knex) {
  const result = await client.raw<{
    rows: { database: string; schema: string }[];
  }>('SELECT current_database() AS database, current_schema() AS schema');
  return result.rows[0];
}

describeWithPostgres('DatabaseManager', () => {
  beforeAll(async () => {
    admin = knex({ client: 'pg', connection: url!, pool: { min: 0, max: 2 } });
    await admin.raw('CREATE DATABASE ??', [schemaDatabase]);
  });

  afterAll(async () => {
    await Promise.all(managers.map(m => m.close()));
    for (const name of await listDatabases()) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    }
    await admin.raw('DROP ROLE IF EXISTS ??', [roleWithoutCreateDb]);
    await admin.destroy();
  }, 60_000);

  describe('with PostgreSQL, a database per plugin', () => {
    let manager: DatabaseManager;
    beforeAll(() => {
      manager = createManager({ pluginDivisionMode: 'database' });
    });

    describeDatabaseManagerConformance(pluginId => clientOf(manager, pluginId));

    it('creates the database of a plugin on first use', async () => {
      expect(await listDatabases()).not.toContain(`${prefix}fresh`);

      const client = await clientOf(manager, 'fresh');

      expect(await listDatabases()).toContain(`${prefix}fresh`);
      await expect(currentPlace(client)).resolves.toEqual({
        database: `${prefix}fresh`,
        schema: 'public',
      });
    });

    it('opens the same database when replicas race to create it', async () => {
      const replicas = [
        createManager({}),
        createManager({}),
        createManager({}),
      ];

      const clients = await Promise.all(
        replicas.map(replica => clientOf(replica, 'raced')),
      );

      for (const client of clients) {
        await expect(currentPlace(client)).resolves.toMatchObject({
          database: `${prefix}raced`,
        });
      }
    });
  });

  describe('with PostgreSQL, a schema per plugin', () => {
    let manager: DatabaseManager;
    beforeAll(() => {
      const schemaUrl = new URL(url!);
      schemaUrl.pathname = `/${schemaDatabase}`;
      manager = createManager({
        pluginDivisionMode: 'schema',
        connection: schemaUrl.toString(),
      });
    });

    describeDatabaseManagerConformance(pluginId => clientOf(manager, pluginId));

    it('creates the schema of a plugin in the configured database', async () => {
      const client = await clientOf(manager, 'schemed');

      await expect(currentPlace(client)).resolves.toEqual({
        database: schemaDatabase,
        schema: `${prefix}schemed`,
      });
    });
  });

  it('applies the overrides of one plugin over the base settings', async () => {
    const manager = createManager({
      pool: { min: 0, max: 7, idleTimeoutMillis: 1234 },
      plugin: {
        special: {
          pluginDivisionMode: 'schema',
          connection: { database: schemaDatabase },
          pool: { max: 2 },
        },
      },
    });

    const special = await clientOf(manager, 'special');
    const plain = await clientOf(manager, 'plain');

    await expect(currentPlace(special)).resolves.toEqual({
      database: schemaDatabase,
      schema: `${prefix}special`,
    });
    await expect(currentPlace(plain)).resolves.toEqual({
      database: `${prefix}plain`,
      schema: 'public',
    });
    expect(special.client.pool).toMatchObject({
      min: 0,
      max: 2,
      idleTimeoutMillis: 1234,
    });
    expect(plain.client.pool).toMatchObject({
      min: 0,
      max: 7,
      idleTimeoutMillis: 1234,
    });
  });

  it('names the plugin and the server but never the password when the server is unreachable', async () => {
    const manager = createManager({
      connection: 'postgres://postgres:s3cret@127.0.0.1:1/postgres',
    });

    const logger = mockServices.rootLogger();
    const failure = manager.forPlugin('unreachable', { logger }).getClient();

    await expect(failure).rejects.toThrow(
      "Could not open the database of plugin 'unreachable': PostgreSQL database 'postgres' on 127.0.0.1:1 as user 'postgres' failed (ECONNREFUSED). " +
        "Check that the server is running and that the host and port at 'backend.database.connection' are right.",
    );
    await expect(failure).rejects.not.toThrow(/s3cret/);
    // The error says it all; knex's pool warning with its stack trace would
    // only come first and repeat it.
    expect(logger.messages('warn')).toEqual([]);
    expect(logger.messages('error')).toEqual([]);
  });

  it('says which database each plugin uses, without the password', async () => {
    const manager = createManager({});
    const logger = mockServices.rootLogger();
    await manager.forPlugin('catalog', { logger }).getClient();
    const { hostname, port } = new URL(url!);
    expect(logger.messages('info')).toEqual([
      `Database of plugin 'catalog': PostgreSQL database '${prefix}catalog' on ${hostname}:${port || 5432} as user 'postgres'`,
    ]);
  });

  it('names the missing database the connection points at', async () => {
    const manager = createManager({
      plugin: {
        orphan: { connection: { database: `${prefix}absent` } },
      },
    });

    await expect(clientOf(manager, 'orphan')).rejects.toThrow(
      `Could not open the database of plugin 'orphan': PostgreSQL database '${prefix}absent' on ${new URL(url!).hostname}:${new URL(url!).port || 5432} as user '${new URL(url!).username}' failed (3D000). ` +
        "Check the database name at 'backend.database.plugin.orphan.connection'.",
    );
  });

  it('explains that the user may not create databases', async () => {
    await admin.raw('CREATE ROLE ?? LOGIN NOCREATEDB', [roleWithoutCreateDb]);
    const manager = createManager({
      plugin: { restricted: { connection: { user: roleWithoutCreateDb } } },
    });
    const server = new URL(url!);

    await expect(clientOf(manager, 'restricted')).rejects.toThrow(
      `Could not open the database of plugin 'restricted': PostgreSQL database '${server.pathname.slice(1) || 'postgres'}' on ${server.hostname}:${server.port || 5432} as user '${roleWithoutCreateDb}' failed (42501). ` +
        "The user lacks a privilege it needs: grant it CREATEDB (or CREATE on the database for schemas), create the database or schema beforehand, or set 'backend.database.pluginDivisionMode' to 'schema'.",
    );
  });

  it('destroys every pool of its plugins on close', async () => {
    const manager = createManager({});
    const client = await clientOf(manager, 'closed');
    await client.raw('SELECT 1');

    await manager.close();

    expect(client.client.pool).toBeUndefined();
    await expect(
      admin('pg_stat_activity')
        .where('datname', `${prefix}closed`)
        .pluck('pid'),
    ).resolves.toEqual([]);
  });
});
