/**
 * Removes the databases a PostgreSQL benchmark run created, so each run
 * starts empty and leaves nothing behind.
 */
import { Client } from 'pg';

/**
 * Drops every database whose name starts with `prefix`, forcing off any
 * connections left open; returns the names dropped.
 * @throws Error naming the server when it cannot be reached.
 */
export async function dropBenchDatabases(
  connectionString: string,
  prefix: string,
): Promise<string[]> {
  const client = new Client({ connectionString });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Could not connect to PostgreSQL at '${redact(connectionString)}'; start it or set PLINTH_BENCH_POSTGRES_URL.`,
      { cause: error },
    );
  }
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) {
      await client.query(
        `drop database if exists "${datname.replaceAll('"', '""')}" with (force)`,
      );
    }
    return rows.map(row => row.datname);
  } finally {
    await client.end();
  }
}

/** The URL without its password, for messages. */
function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) {
      url.password = '***';
    }
    return url.toString();
  } catch {
    return '(unparsable connection string)';
  }
}
