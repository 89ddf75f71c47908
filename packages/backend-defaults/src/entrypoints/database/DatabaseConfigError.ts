import { CustomErrorBase } from '@plinth/errors';

/**
 * A value under `backend.database` cannot be used; the message names the
 * key and what to write instead. Messages never repeat a connection value,
 * which may hold a password.
 *
 * @public
 */
export class DatabaseConfigError extends CustomErrorBase {
  readonly name = 'DatabaseConfigError' as const;

  /** `client` names no known connector. */
  static unknownClient(
    key: string,
    client: string,
    validClients: readonly string[],
  ): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Invalid config at '${key}': '${client}' is not a supported database client. Use one of ${quoteAll(validClients)}.`,
    );
  }

  /** `pluginDivisionMode` is neither `database` nor `schema`. */
  static unknownDivisionMode(key: string, mode: string): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Invalid config at '${key}': '${mode}' is not a plugin division mode. Use one of 'database', 'schema'.`,
    );
  }

  /** `pluginDivisionMode: database` together with PGlite. */
  static pgliteDivisionMode(key: string): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Invalid config at '${key}': PGlite keeps every plugin in a schema of one embedded database, so 'database' cannot be used with client 'pglite'. Remove the key or set it to 'schema'.`,
    );
  }

  /** A PGlite `connection` that is neither `:memory:` nor `{ directory }`. */
  static invalidPgliteConnection(key: string): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Invalid config at '${key}': PGlite expects ':memory:' or an object with a non-empty 'directory'. Set 'directory' to keep data between restarts, or ':memory:' to start empty each time.`,
    );
  }

  /** A PostgreSQL `connection` that is neither a URL nor an object. */
  static invalidPgConnection(key: string, why: string): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Invalid config at '${key}': ${why}. Use a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.`,
    );
  }

  /** `client: pg` without a `connection`. */
  static missingPgConnection(key: string): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Missing config at '${key}': client 'pg' needs a connection. Set a connection string such as 'postgres://user:password@host:5432/database', or an object with host, port, user, password and database.`,
    );
  }

  /** A `pool` key that knex does not know. */
  static unknownPoolKey(
    key: string,
    validKeys: readonly string[],
  ): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Invalid config at '${key}': it is not a knex pool setting. Use one of ${quoteAll(validKeys)}.`,
    );
  }

  /** `prefix` is not a string of name characters. */
  static invalidPrefix(key: string): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Invalid config at '${key}': expected a string of letters, digits, underscores and dashes, such as 'plinth_plugin_'.`,
    );
  }

  /** `<prefix><pluginId>` is longer than PostgreSQL allows for a name. */
  static nameTooLong(
    key: string,
    name: string,
    pluginId: string,
  ): DatabaseConfigError {
    return new DatabaseConfigError(
      key,
      `Invalid config at '${key}': the database name '${name}' for plugin '${pluginId}' is ${Buffer.byteLength(name)} bytes long, but PostgreSQL allows at most 63. Use a shorter prefix.`,
    );
  }

  /**
   * @param key - the full config key the message is about.
   */
  private constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

function quoteAll(values: readonly string[]): string {
  return values.map(v => `'${v}'`).join(', ');
}
