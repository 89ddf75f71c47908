import type { JsonObject } from '@plinth/backend-plugin-api';
import path from 'node:path';
import { ConfigReader } from '../../config';
import { readDatabaseSettings } from './readDatabaseSettings';

function settingsFor(database: JsonObject, pluginId = 'catalog') {
  return readDatabaseSettings(
    new ConfigReader({ backend: { database } }, 'app-config.yaml'),
  )(pluginId);
}

describe('readDatabaseSettings', () => {
  it('defaults to an in-memory PGlite with a schema per plugin', () => {
    expect(settingsFor({})).toEqual({
      client: 'pglite',
      connection: { client: 'pglite' },
      connectionKey: 'backend.database.connection',
      name: 'plinth_plugin_catalog',
      divisionMode: 'schema',
      pool: {},
      skipMigrations: false,
    });
  });

  it('resolves a PGlite directory against the working directory', () => {
    expect(
      settingsFor({ connection: { directory: '.plinth/database' } }).connection,
    ).toEqual({
      client: 'pglite',
      directory: path.resolve('.plinth/database'),
    });
  });

  it('defaults PostgreSQL to a database per plugin and parses a connection string', () => {
    const settings = settingsFor({
      client: 'pg',
      connection: 'postgres://app:p%40ss@db.internal:6543/main?sslmode=require',
    });

    expect(settings.divisionMode).toBe('database');
    expect(settings.connection).toEqual({
      client: 'pg',
      settings: {
        host: 'db.internal',
        port: 6543,
        user: 'app',
        password: 'p@ss',
        database: 'main',
        ssl: true,
      },
    });
  });

  it('reads a string port and an embedded connection string of a connection object', () => {
    const settings = settingsFor({
      client: 'pg',
      connection: {
        connectionString: 'postgres://app@db.internal/main',
        port: '6543',
        database: 'other',
      },
    });

    expect(settings.connection).toEqual({
      client: 'pg',
      settings: {
        host: 'db.internal',
        port: 6543,
        user: 'app',
        database: 'other',
      },
    });
  });

  it('merges a plugin connection object and pool over the base ones', () => {
    const settings = settingsFor({
      client: 'pg',
      connection: 'postgres://app:secret@db.internal:5432/main',
      pool: { min: 0, max: 10 },
      skipMigrations: true,
      plugin: {
        catalog: {
          connection: { host: 'catalog-db.internal' },
          pool: { max: '4' },
          pluginDivisionMode: 'schema',
          skipMigrations: false,
        },
      },
    });

    expect(settings).toEqual({
      client: 'pg',
      connection: {
        client: 'pg',
        settings: {
          host: 'catalog-db.internal',
          port: 5432,
          user: 'app',
          password: 'secret',
          database: 'main',
        },
      },
      connectionKey: 'backend.database.plugin.catalog.connection',
      name: 'plinth_plugin_catalog',
      divisionMode: 'schema',
      pool: { min: 0, max: 4 },
      skipMigrations: false,
    });
  });

  it('replaces the base connection with a plugin connection string', () => {
    const settings = settingsFor({
      client: 'pg',
      connection: { host: 'db.internal', password: 'secret' },
      plugin: { catalog: { connection: 'postgres://other@db2.internal/x' } },
    });

    expect(settings.connection).toEqual({
      client: 'pg',
      settings: { host: 'db2.internal', user: 'other', database: 'x' },
    });
  });

  it('ignores base settings written for another client when a plugin switches client', () => {
    const settings = settingsFor({
      client: 'pg',
      connection: 'postgres://app@db.internal/main',
      pluginDivisionMode: 'database',
      pool: { max: 10 },
      plugin: { catalog: { client: 'pglite' } },
    });

    expect(settings).toMatchObject({
      client: 'pglite',
      connection: { client: 'pglite' },
      divisionMode: 'schema',
      pool: {},
    });
  });

  it('leaves plugins without an override on the base settings', () => {
    const settings = settingsFor(
      {
        prefix: 'acme_',
        skipMigrations: true,
        plugin: { catalog: { skipMigrations: false } },
      },
      'search',
    );

    expect(settings).toMatchObject({
      name: 'acme_search',
      skipMigrations: true,
    });
  });

  it('accepts an empty prefix', () => {
    expect(settingsFor({ prefix: '' }).name).toBe('catalog');
  });

  it('rejects an unknown client and lists the valid ones', () => {
    expect(() => settingsFor({ client: 'mysql' })).toThrow(
      "Invalid config at 'backend.database.client': 'mysql' is not a supported database client. Use one of 'pglite', 'pg'.",
    );
    expect(() => settingsFor({ client: 'mysql' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        code: 'CONFIG_DATABASE_INVALID',
        key: 'backend.database.client',
      }),
    );
  });

  it('names the plugin key of an unknown plugin client', () => {
    expect(() =>
      settingsFor({ plugin: { search: { client: 'sqlite3' } } }),
    ).toThrow(
      "Invalid config at 'backend.database.plugin.search.client': 'sqlite3' is not a supported database client. Use one of 'pglite', 'pg'.",
    );
  });

  it('rejects an unknown division mode', () => {
    expect(() =>
      settingsFor({
        client: 'pg',
        connection: 'postgres://localhost',
        pluginDivisionMode: 'table',
      }),
    ).toThrow(
      "Invalid config at 'backend.database.pluginDivisionMode': 'table' is not a plugin division mode. Use one of 'database', 'schema'.",
    );
  });

  it('rejects a database per plugin with PGlite', () => {
    expect(() =>
      settingsFor({ plugin: { catalog: { pluginDivisionMode: 'database' } } }),
    ).toThrow(
      "Invalid config at 'backend.database.plugin.catalog.pluginDivisionMode': PGlite keeps every plugin in a schema of one embedded database, so 'database' cannot be used with client 'pglite'. Remove the key or set it to 'schema'.",
    );
  });

  it.each([
    ['a path string', './data'],
    ['an empty directory', { directory: '' }],
    ['an unknown key', { directory: 'data', filename: 'x' }],
  ])('rejects a PGlite connection given as %s', (_case, connection) => {
    expect(() => settingsFor({ connection })).toThrow(
      "Invalid config at 'backend.database.connection': PGlite expects ':memory:' or an object with a non-empty 'directory'. Set 'directory' to keep data between restarts, or ':memory:' to start empty each time.",
    );
  });

  it('requires a connection for PostgreSQL', () => {
    expect(() => settingsFor({ client: 'pg' })).toThrow(
      "Missing config at 'backend.database.connection': client 'pg' needs a connection. Set a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.",
    );
  });

  it.each([
    [
      'a string that is not a URL',
      'postgres://app:secret@[bad',
      'the connection string is not a URL',
    ],
    [
      'a URL of another scheme',
      'mysql://app:secret@db.internal/main',
      "the connection string uses 'mysql:', not 'postgres:'",
    ],
  ])(
    'rejects as PostgreSQL connection %s without repeating it',
    (_case, connection, why) => {
      const read = () => settingsFor({ client: 'pg', connection });

      expect(read).toThrow(
        `Invalid config at 'backend.database.connection': ${why}. Use a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.`,
      );
      expect(read).not.toThrow(/secret/);
    },
  );

  it('rejects a PostgreSQL connection that is neither a string nor an object', () => {
    expect(() => settingsFor({ client: 'pg', connection: 5432 })).toThrow(
      "Invalid config at 'backend.database.connection': expected a string or an object, got number. Use a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.",
    );
  });

  it('rejects a connection string that is not a URL inside a connection object', () => {
    expect(() =>
      settingsFor({
        client: 'pg',
        connection: { connectionString: 'host=db.internal' },
      }),
    ).toThrow(
      "Invalid config at 'backend.database.connection.connectionString': the connection string is not a URL. Use a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.",
    );
  });

  it('rejects a port that is not a number', () => {
    expect(() =>
      settingsFor({ client: 'pg', connection: { host: 'db', port: 'x1' } }),
    ).toThrow(
      "Invalid config at 'backend.database.connection.port': expected a port number, got \"x1\". Use a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.",
    );
  });

  it('rejects a pool key that knex does not know', () => {
    expect(() => settingsFor({ pool: { maxSize: 4 } })).toThrow(
      "Invalid config at 'backend.database.pool.maxSize': it is not a knex pool setting. Use one of 'min', 'max', 'acquireTimeoutMillis', 'createTimeoutMillis', 'destroyTimeoutMillis', 'idleTimeoutMillis', 'reapIntervalMillis', 'createRetryIntervalMillis', 'maxConnectionLifetimeMillis', 'maxConnectionLifetimeJitterMillis', 'propagateCreateError'.",
    );
  });

  it('rejects a prefix with characters outside names', () => {
    expect(() => settingsFor({ prefix: 'my db;' })).toThrow(
      "Invalid config at 'backend.database.prefix': expected a string of letters, digits, underscores and dashes, such as 'plinth_plugin_'.",
    );
  });

  it('rejects a database name longer than PostgreSQL allows', () => {
    expect(() => settingsFor({}, 'a'.repeat(50))).toThrow(
      `Invalid config at 'backend.database.prefix': the database name 'plinth_plugin_${'a'.repeat(50)}' for plugin '${'a'.repeat(50)}' is 64 bytes long, but PostgreSQL allows at most 63. Use a shorter prefix.`,
    );
  });

  it('validates every plugin override up front', () => {
    expect(() =>
      readDatabaseSettings(
        new ConfigReader({
          backend: {
            database: { plugin: { search: { pool: { size: 1 } } } },
          },
        }),
      ),
    ).toThrow(
      "Invalid config at 'backend.database.plugin.search.pool.size': it is not a knex pool setting. Use one of 'min', 'max', 'acquireTimeoutMillis', 'createTimeoutMillis', 'destroyTimeoutMillis', 'idleTimeoutMillis', 'reapIntervalMillis', 'createRetryIntervalMillis', 'maxConnectionLifetimeMillis', 'maxConnectionLifetimeJitterMillis', 'propagateCreateError'.",
    );
  });
});
