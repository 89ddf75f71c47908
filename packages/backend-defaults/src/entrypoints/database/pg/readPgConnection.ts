import type { JsonObject, JsonValue } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';
import type { PgConnection } from '../DatabaseConnector';
import { DatabaseConfigError } from '../DatabaseConfigError';
import { parsePgConnectionString } from './parsePgConnectionString';

/**
 * Validates a PostgreSQL `connection` (a `postgres://` URL or a settings
 * object) and turns it into settings. A string port, as environment
 * variables give, becomes a number.
 * @throws {@link DatabaseConfigError} when the value is missing or unusable.
 */
export function readPgConnection(
  value: JsonValue | undefined,
  key: string,
): PgConnection {
  if (value === undefined) {
    throw DatabaseConfigError.missingPgConnection(key);
  }
  if (typeof value === 'string') {
    const parsed = parsePgConnectionString(value);
    if ('invalid' in parsed) {
      throw DatabaseConfigError.invalidPgConnection(key, parsed.invalid);
    }
    return { client: 'pg', settings: parsed };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw DatabaseConfigError.invalidPgConnection(
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
      throw DatabaseConfigError.invalidPgConnection(
        `${key}.connectionString`,
        parsed.invalid,
      );
    }
    settings = { ...parsed, ...fields };
  }
  if (typeof fields.port === 'string') {
    const port = Number(fields.port);
    if (!Number.isInteger(port)) {
      throw DatabaseConfigError.invalidPgConnection(
        `${key}.port`,
        `expected a port number, got ${JSON.stringify(fields.port)}`,
      );
    }
    settings.port = port;
  }
  return settings;
}
