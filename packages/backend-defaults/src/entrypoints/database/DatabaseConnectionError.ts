import { CustomErrorBase } from '@plinth/errors';

/**
 * A database could not be opened or prepared for a plugin. The message
 * names the plugin and the server or directory, never the password; the
 * driver's error is the `cause`.
 *
 * @public
 */
export class DatabaseConnectionError extends CustomErrorBase {
  readonly name = 'DatabaseConnectionError' as const;

  /**
   * PostgreSQL refused or failed a step: connecting, creating the
   * database, or creating the schema.
   *
   * @param owner - such as `plugin 'catalog'`.
   * @param server - such as `database 'plinth_plugin_catalog' on 127.0.0.1:5432 as user 'postgres'`.
   * @param connectionKey - the config key of the connection settings.
   */
  static postgres(
    owner: string,
    server: string,
    connectionKey: string,
    cause: unknown,
  ): DatabaseConnectionError {
    const code = readErrorCode(cause);
    const why = code ? ` (${code})` : '';
    return new DatabaseConnectionError(
      `Could not open the database of ${owner}: PostgreSQL ${server} failed${why}. ${describeFix(code, connectionKey)}`,
      cause,
    );
  }

  /**
   * PGlite failed to start.
   *
   * @param location - such as `data directory '/srv/plinth/database'`.
   */
  static pglite(
    owner: string,
    location: string,
    cause: unknown,
  ): DatabaseConnectionError {
    return new DatabaseConnectionError(
      `Could not open the database of ${owner}: PGlite failed to start with the ${location}. ` +
        'If the directory holds data from another PGlite version or is damaged, move it aside to start with an empty database; the cause has the details.',
      cause,
    );
  }

  private constructor(message: string, cause: unknown) {
    super(message, cause);
  }
}

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
