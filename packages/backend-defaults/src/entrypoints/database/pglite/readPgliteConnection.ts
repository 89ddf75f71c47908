import type { JsonValue } from '@plinth/backend-plugin-api';
import path from 'node:path';
import type { PgliteConnection } from '../DatabaseConnector';
import { databaseConfigErrors } from '../databaseErrors';

/**
 * Validates a PGlite `connection`: absent or `':memory:'` for an in-memory
 * database, `{ directory }` for a data directory relative to the working
 * directory.
 * @throws {@link @plinth/backend-defaults#ConfigError} for any other value.
 */
export function readPgliteConnection(
  value: JsonValue | undefined,
  key: string,
): PgliteConnection {
  if (value === undefined || value === ':memory:') {
    return { client: 'pglite' };
  }
  const directory =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? value.directory
      : undefined;
  const otherKeys =
    typeof value === 'object' && value !== null
      ? Object.keys(value).filter(k => k !== 'directory')
      : [];
  if (typeof directory !== 'string' || directory === '' || otherKeys.length) {
    throw databaseConfigErrors.invalidPgliteConnection(key);
  }
  return { client: 'pglite', directory: path.resolve(directory) };
}
