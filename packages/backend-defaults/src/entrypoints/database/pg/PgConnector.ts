import { knex, type Knex } from 'knex';
import {
  toKnexLog,
  type DatabaseConnector,
  type DatabaseTarget,
} from '../DatabaseConnector';
import { databaseConnectionErrors } from '../databaseErrors';

/** SQLSTATEs of losing a creation race to another process. */
const alreadyCreatedCodes = ['42P04', '42P06', '23505'];

/**
 * Opens PostgreSQL clients: in `database` mode one database per target,
 * created on demand through an admin connection to the configured
 * database; in `schema` mode one schema per target in the configured
 * database, through knex's `searchPath`.
 */
export class PgConnector implements DatabaseConnector {
  readonly #clients = new Set<Knex>();
  /** Admin clients, one per server and user, for `CREATE DATABASE`. */
  readonly #admins = new Map<string, Knex>();

  static create(): PgConnector {
    return new PgConnector();
  }

  private constructor() {}

  async connect(target: DatabaseTarget): Promise<Knex> {
    if (target.connection.client !== 'pg') {
      throw new TypeError(
        `PgConnector cannot open a '${target.connection.client}' connection`,
      );
    }
    const base = target.connection.settings;
    if (target.divisionMode === 'database') {
      const admin = { ...base, database: base.database ?? 'postgres' };
      await describeFailure(target, admin, () =>
        this.#ensureDatabase(admin, target),
      );
    }
    const settings =
      target.divisionMode === 'database'
        ? { ...base, database: target.name }
        : base;
    let opening = true;
    const client = knex({
      client: 'pg',
      connection: settings,
      pool: target.pool,
      log: toKnexLog(target.logger, () => opening),
      ...(target.divisionMode === 'schema'
        ? { searchPath: [target.name] }
        : {}),
    });
    try {
      await describeFailure(target, settings, () =>
        target.divisionMode === 'schema'
          ? ignoreAlreadyCreated(
              client.raw('CREATE SCHEMA IF NOT EXISTS ??', [target.name]),
            )
          : client.raw('SELECT 1'),
      );
    } catch (error) {
      await client.destroy();
      throw error;
    }
    opening = false;
    target.logger.info(
      `Database of ${target.owner}: PostgreSQL ${target.divisionMode === 'schema' ? `schema '${target.name}' of ` : ''}${describePgServer(settings)}`,
    );
    this.#clients.add(client);
    return client;
  }

  async close(): Promise<void> {
    const clients = [...this.#clients, ...this.#admins.values()];
    this.#clients.clear();
    this.#admins.clear();
    await Promise.all(clients.map(c => c.destroy()));
  }

  async #ensureDatabase(
    settings: Knex.PgConnectionConfig,
    target: DatabaseTarget,
  ): Promise<void> {
    const admin = this.#admin(settings, target);
    const existing = await admin('pg_database')
      .where('datname', target.name)
      .select('datname');
    if (existing.length === 0) {
      await ignoreAlreadyCreated(
        admin.raw('CREATE DATABASE ??', [target.name]),
      );
    }
  }

  #admin(settings: Knex.PgConnectionConfig, target: DatabaseTarget): Knex {
    const key = JSON.stringify([
      settings.host,
      settings.port,
      settings.user,
      settings.database,
    ]);
    let admin = this.#admins.get(key);
    if (!admin) {
      admin = knex({
        client: 'pg',
        connection: settings,
        pool: { min: 0, max: 1 },
        // Only used while opening: its failures become the opening's error.
        log: toKnexLog(target.logger, () => true),
      });
      this.#admins.set(key, admin);
    }
    return admin;
  }
}

/** Runs one step against the server, naming the server when it fails. */
async function describeFailure(
  target: DatabaseTarget,
  settings: Knex.PgConnectionConfig,
  step: () => Promise<unknown>,
): Promise<void> {
  try {
    await step();
  } catch (cause) {
    throw databaseConnectionErrors.postgres(
      target.owner,
      describePgServer(settings),
      target.connectionKey,
      cause,
    );
  }
}

/** Another replica or plugin created the same database or schema first. */
async function ignoreAlreadyCreated(creation: Promise<unknown>) {
  try {
    await creation;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!alreadyCreatedCodes.includes(code as string)) {
      throw error;
    }
  }
}

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
