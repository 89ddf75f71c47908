import { quoteList } from '@plinth/errors';
import { ConfigError, DatabaseError } from '../../errors';

const fix =
  'PGlite allows one process per directory; stop that process, or set backend.database.connection.directory to another directory.';

/**
 * A value under `backend.database` cannot be used; the message names the
 * key and what to write instead. Messages never repeat a connection value,
 * which may hold a password.
 */
export const databaseConfigErrors = {
  /** `client` names no known connector. */
  unknownClient(
    key: string,
    client: string,
    validClients: readonly string[],
  ): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Invalid config at '${key}': '${client}' is not a supported database client. Use one of ${quoteList(validClients)}.`,
    );
  },

  /** `pluginDivisionMode` is neither `database` nor `schema`. */
  unknownDivisionMode(key: string, mode: string): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Invalid config at '${key}': '${mode}' is not a plugin division mode. Use one of 'database', 'schema'.`,
    );
  },

  /** `pluginDivisionMode: database` together with PGlite. */
  pgliteDivisionMode(key: string): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Invalid config at '${key}': PGlite keeps every plugin in a schema of one embedded database, so 'database' cannot be used with client 'pglite'. Remove the key or set it to 'schema'.`,
    );
  },

  /** A PGlite `connection` that is neither `:memory:` nor `{ directory }`. */
  invalidPgliteConnection(key: string): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Invalid config at '${key}': PGlite expects ':memory:' or an object with a non-empty 'directory'. Set 'directory' to keep data between restarts, or ':memory:' to start empty each time.`,
    );
  },

  /** A PostgreSQL `connection` that is neither a URL nor an object. */
  invalidPgConnection(key: string, why: string): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Invalid config at '${key}': ${why}. Use a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.`,
    );
  },

  /** `client: pg` without a `connection`. */
  missingPgConnection(key: string): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Missing config at '${key}': client 'pg' needs a connection. Set a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.`,
    );
  },

  /** A `pool` key that knex does not know. */
  unknownPoolKey(key: string, validKeys: readonly string[]): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Invalid config at '${key}': it is not a knex pool setting. Use one of ${quoteList(validKeys)}.`,
    );
  },

  /** `prefix` is not a string of name characters. */
  invalidPrefix(key: string): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Invalid config at '${key}': expected a string of letters, digits, underscores and dashes, such as 'plinth_plugin_'.`,
    );
  },

  /** `<prefix><pluginId>` is longer than PostgreSQL allows for a name. */
  nameTooLong(key: string, name: string, pluginId: string): ConfigError {
    return databaseConfigError(
      'CONFIG_DATABASE_INVALID',
      key,
      `Invalid config at '${key}': the database name '${name}' for plugin '${pluginId}' is ${Buffer.byteLength(name)} bytes long, but PostgreSQL allows at most 63. Use a shorter prefix.`,
    );
  },

  /**
   * @param key - the full config key the message is about.
   */
};

/**
 * A database could not be opened or prepared for a plugin. The message
 * names the plugin and the server or directory, never the password; the
 * driver's error is the `cause`.
 */
export const databaseConnectionErrors = {
  /**
   * PostgreSQL refused or failed a step: connecting, creating the
   * database, or creating the schema.
   *
   * @param owner - such as `plugin 'catalog'`.
   * @param server - such as `database 'plinth_plugin_catalog' on 127.0.0.1:5432 as user 'postgres'`.
   * @param connectionKey - the config key of the connection settings.
   */
  postgres(
    owner: string,
    server: string,
    connectionKey: string,
    cause: unknown,
  ): DatabaseError {
    const code = readErrorCode(cause);
    const why = code ? ` (${code})` : '';
    return new DatabaseError(
      'DATABASE_CONNECTION_FAILED',
      `Could not open the database of ${owner}: PostgreSQL ${server} failed${why}. ${describeFix(code, connectionKey)}`,
      { cause },
    );
  },

  /**
   * PGlite failed to start.
   *
   * @param location - such as `data directory '/srv/plinth/database'`.
   */
  pglite(owner: string, location: string, cause: unknown): DatabaseError {
    return new DatabaseError(
      'DATABASE_CONNECTION_FAILED',
      `Could not open the database of ${owner}: PGlite failed to start with the ${location}. ` +
        'If the directory holds data from another PGlite version or is damaged, move it aside to start with an empty database; the cause has the details.',
      { cause },
    );
  },
};

function readErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

const unreachable = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
];

function describeFix(code: string | undefined, key: string): string {
  if (code && unreachable.includes(code)) {
    return `Check that the server is running and that the host and port at '${key}' are right.`;
  }
  if (code === '28P01' || code === '28000') {
    return `Check the user and password at '${key}'.`;
  }
  if (code === '42501') {
    return "The user lacks a privilege it needs: grant it CREATEDB (or CREATE on the database for schemas), create the database or schema beforehand, or set 'backend.database.pluginDivisionMode' to 'schema'.";
  }
  if (code === '3D000') {
    return `Check the database name at '${key}'.`;
  }
  return `Check the settings at '${key}'; the cause has the details.`;
}

/**
 * A PGlite data directory is already open in another live process, or in
 * another database manager of this process.
 */
export const databaseLockedErrors = {
  /**
   * Another database manager of this process has the directory open.
   *
   * @param directory - the absolute data directory.
   * @param lockFile - the absolute path of the lock file.
   */
  heldByThisProcess(directory: string, lockFile: string): DatabaseError {
    return new DatabaseError(
      'DATABASE_LOCKED',
      `Cannot open the PGlite data directory '${directory}': another database manager of this process (pid ${process.pid}) has it open. ` +
        'PGlite allows one instance per directory; close that database manager first, or set backend.database.connection.directory to another directory.',
      { directory, lockFile, pid: process.pid },
    );
  },

  /**
   * The lock file names another process that still runs, or one of another
   * host, which this host cannot check.
   *
   * @param hostname - the holder's host, when it is not this one.
   * @param staleSeconds - how long a lock of another host lives without
   *   being refreshed.
   */
  heldByProcess(
    directory: string,
    lockFile: string,
    pid: number,
    hostname?: string,
    staleSeconds?: number,
  ): DatabaseError {
    const message =
      hostname === undefined
        ? `Cannot open the PGlite data directory '${directory}': it is in use by process ${pid} (lock file '${lockFile}'). ` +
          `${fix} If no such process runs, delete the lock file.`
        : `Cannot open the PGlite data directory '${directory}': it is in use by process ${pid} on host '${hostname}' (lock file '${lockFile}'). ` +
          `${fix} This host cannot see the processes of that one, so the lock is taken over once it has not been refreshed for ${staleSeconds} seconds.`;
    return new DatabaseError('DATABASE_LOCKED', message, {
      directory,
      lockFile,
      pid,
      hostname,
    });
  },

  /**
   * The lock file is empty or cut short: another process may be writing it.
   *
   * @param graceSeconds - the age from which such a file counts as stale.
   */
  incompleteLockFile(
    directory: string,
    lockFile: string,
    graceSeconds: number,
  ): DatabaseError {
    return new DatabaseError(
      'DATABASE_LOCKED',
      `Cannot open the PGlite data directory '${directory}': its lock file '${lockFile}' is empty or incomplete, so another process may be taking the lock right now. ` +
        `Start again later; once the file is ${graceSeconds} seconds old it counts as left behind and is taken over, or delete it if no process uses the directory.`,
      { directory, lockFile },
    );
  },
};

function databaseConfigError(
  code: 'CONFIG_DATABASE_INVALID',
  key: string,
  message: string,
): ConfigError {
  return new ConfigError(code, message, { key });
}
