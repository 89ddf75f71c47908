import type { Knex } from 'knex';

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
