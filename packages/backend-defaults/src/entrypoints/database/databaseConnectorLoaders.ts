import type { JsonValue } from '@plinth/backend-plugin-api';
import type {
  DatabaseConnection,
  DatabaseConnector,
} from './DatabaseConnector';
import { readPgConnection } from './pg/readPgConnection';
import { readPgliteConnection } from './pglite/readPgliteConnection';

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
