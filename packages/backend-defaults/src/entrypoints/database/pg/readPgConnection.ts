import type { JsonObject, JsonValue } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';
import type { PgConnection } from '../DatabaseConnector';
import { databaseConfigErrors } from '../databaseErrors';

/**
 * Validates a PostgreSQL `connection` (a `postgres://` URL or a settings
 * object) and turns it into settings. A string port, as environment
 * variables give, becomes a number.
 * @throws {@link @plinth/backend-defaults#ConfigError} when the value is missing or unusable.
 */
export function readPgConnection(
  value: JsonValue | undefined,
  key: string,
): PgConnection {
  if (value === undefined) {
    throw databaseConfigErrors.missingPgConnection(key);
  }
  if (typeof value === 'string') {
    const parsed = parsePgConnectionString(value);
    if ('invalid' in parsed) {
      throw databaseConfigErrors.invalidPgConnection(key, parsed.invalid);
    }
    return { client: 'pg', settings: parsed };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw databaseConfigErrors.invalidPgConnection(
      key,
      `expected a string or an object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return { client: 'pg', settings: toPgSettings(value, key) };
}

function toPgSettings(value: JsonObject, key: string): Knex.PgConnectionConfig {
  const { connectionString, ...fields } = value;
  let settings: Record<string, unknown> = { ...fields };
  // node-postgres lets a connectionString win over the other fields; parse
  // it here so that the fields, and the database of each plugin, win.
  if (typeof connectionString === 'string') {
    const parsed = parsePgConnectionString(connectionString);
    if ('invalid' in parsed) {
      throw databaseConfigErrors.invalidPgConnection(
        `${key}.connectionString`,
        parsed.invalid,
      );
    }
    settings = { ...parsed, ...fields };
  }
  if (typeof fields.port === 'string') {
    const port = Number(fields.port);
    if (!Number.isInteger(port)) {
      throw databaseConfigErrors.invalidPgConnection(
        `${key}.port`,
        `expected a port number, got ${JSON.stringify(fields.port)}`,
      );
    }
    settings.port = port;
  }
  return settings;
}

/**
 * Parses a `postgres://` URL into node-postgres settings, so that a plugin
 * override can replace single fields and the database name can be set per
 * plugin. Query parameters are kept as settings; `sslmode` and `ssl` become
 * node-postgres's `ssl` option, and `host` a socket directory.
 *
 * @returns the settings, or a reason the string cannot be used.
 */
export function parsePgConnectionString(
  value: string,
): Knex.PgConnectionConfig | { invalid: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { invalid: 'the connection string is not a URL' };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return {
      invalid: `the connection string uses '${url.protocol}', not 'postgres:'`,
    };
  }
  const settings: Record<string, unknown> = {};
  if (url.hostname) {
    settings.host = decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '');
  }
  if (url.port) {
    settings.port = Number(url.port);
  }
  if (url.username) {
    settings.user = decodeURIComponent(url.username);
  }
  if (url.password) {
    settings.password = decodeURIComponent(url.password);
  }
  const database = decodeURIComponent(url.pathname.slice(1));
  if (database) {
    settings.database = database;
  }
  for (const [name, param] of url.searchParams) {
    if (name === 'sslmode') {
      settings.ssl = readSslMode(param);
    } else if (name === 'ssl') {
      settings.ssl = param === 'true' || param === '1';
    } else {
      settings[name] = param;
    }
  }
  return settings;
}

function readSslMode(mode: string): Knex.PgConnectionConfig['ssl'] {
  if (mode === 'disable') {
    return false;
  }
  if (mode === 'no-verify') {
    return { rejectUnauthorized: false };
  }
  return true;
}
