import type { JsonValue, LoggerService } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';
import { readPgConnection } from './pg/readPgConnection';
import { readPgliteConnection } from './pglite/readPgliteConnection';

/** An embedded PGlite database: in memory, or in an absolute data directory. */
export interface PgliteConnection {
  client: 'pglite';
  /** @defaultValue in memory */
  directory?: string;
}

/** A PostgreSQL server, as node-postgres connection settings. */
export interface PgConnection {
  client: 'pg';
  settings: Knex.PgConnectionConfig;
}

/** A validated `connection`, tagged with its client. */
export type DatabaseConnection = PgliteConnection | PgConnection;

/** One database or schema to open. */
export interface DatabaseTarget {
  /** Names the user in messages, such as `plugin 'catalog'`. */
  owner: string;
  /** The database (`database` mode) or schema (`schema` mode) to use. */
  name: string;
  divisionMode: 'database' | 'schema';
  connection: DatabaseConnection;
  /** The config key the connection was read from, for messages. */
  connectionKey: string;
  pool: Knex.PoolConfig;
  logger: LoggerService;
}

/**
 * Opens knex clients for one kind of database. A connector is created per
 * database manager, so state it shares between plugins (a PGlite instance,
 * an admin connection) lives as long as the manager.
 */
export interface DatabaseConnector {
  /** A knex client bound to the target, creating its database or schema when missing. */
  connect(target: DatabaseTarget): Promise<Knex>;
  /** Destroys every client and pool this connector opened. */
  close(): Promise<void>;
}

/** How the manager validates a client's connection and loads its connector. */
export interface DatabaseConnectorLoader {
  /** Validates `connection` without loading any driver. */
  readConnection(value: JsonValue | undefined, key: string): DatabaseConnection;
  /** Imports the connector, and with it the driver, on first use. */
  load(): Promise<DatabaseConnector>;
}

/**
 * The supported `backend.database.client` values. Connectors are imported
 * only when a plugin's client needs them, so PGlite's WebAssembly and `pg`
 * load only when chosen.
 */
export const databaseConnectorLoaders: Readonly<
  Record<'pglite' | 'pg', DatabaseConnectorLoader>
> = Object.freeze({
  pglite: {
    readConnection: readPgliteConnection,
    load: async () =>
      (await import('./pglite/PgliteConnector')).PgliteConnector.create(),
  },
  pg: {
    readConnection: readPgConnection,
    load: async () => (await import('./pg/PgConnector')).PgConnector.create(),
  },
});

/** The supported client names. */
export type DatabaseClientName = keyof typeof databaseConnectorLoaders;

/** Whether `name` is a supported client. */
export function isDatabaseClientName(name: string): name is DatabaseClientName {
  return Object.hasOwn(databaseConnectorLoaders, name);
}

/**
 * Sends knex's own warnings (such as pool errors) to the plugin's logger
 * instead of the console. While `opening()` says the connector is still
 * trying its first connection, they go to debug: a failure then becomes
 * the connector's own error, which names the server and the fix, and the
 * pool's warning with its stack trace would only come first and repeat it.
 */
export function toKnexLog(
  logger: LoggerService,
  opening: () => boolean = () => false,
): Knex.Logger {
  const write =
    (level: 'warn' | 'error' | 'debug') =>
    (message: unknown): void => {
      logger[level === 'debug' || opening() ? 'debug' : level](
        typeof message === 'string' ? message : JSON.stringify(message),
      );
    };
  return {
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    deprecate: (method: string, alternative: string) =>
      logger.warn(`knex: ${method} is deprecated; use ${alternative}.`),
  };
}
