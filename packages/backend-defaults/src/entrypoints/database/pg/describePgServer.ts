import type { Knex } from 'knex';

/**
 * Names a PostgreSQL database for messages, without the password:
 * `database 'plinth_plugin_catalog' on 127.0.0.1:5432 as user 'postgres'`.
 */
export function describePgServer(settings: Knex.PgConnectionConfig): string {
  const host = settings.host ?? 'localhost';
  const port = settings.port ?? 5432;
  const user = settings.user ? ` as user '${settings.user}'` : '';
  return `database '${settings.database ?? 'postgres'}' on ${host}:${port}${user}`;
}
