import type { LoggerService } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';

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
