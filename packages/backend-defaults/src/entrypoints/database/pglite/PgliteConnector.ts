import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { knex, type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import {
  toKnexLog,
  type DatabaseConnector,
  type DatabaseTarget,
} from '../DatabaseConnector';
import { databaseConnectionErrors } from '../databaseErrors';
import { DataDirectoryLock } from './DataDirectoryLock';
import { SharedPgliteConnection } from './SharedPgliteConnection';
import { PgliteTemplate, pgVersionFile } from './PgliteTemplate';
import { quoteList } from '@plinth/errors';
import type { LoggerService } from '@plinth/backend-plugin-api';

/** knex's default wait for a pooled connection. */
const defaultAcquireTimeoutMillis = 60_000;

interface PgliteInstance {
  pglite: PGlite;
  connection: SharedPgliteConnection;
  /** A knex-pglite client class bound to this instance. */
  Client: typeof Knex.Client;
  lock?: DataDirectoryLock;
}

/**
 * Opens one PGlite instance per data directory (and one in memory), and
 * gives each target a schema in it with a knex client of its own. All
 * clients of an instance share its single connection, see
 * {@link SharedPgliteConnection}.
 */
export class PgliteConnector implements DatabaseConnector {
  readonly #instances = new Map<string, Promise<PgliteInstance>>();
  readonly #clients = new Set<Knex>();
  readonly #template: PgliteTemplate | null;

  /**
   * Creates a connector. `options.template` is copied into each new data
   * directory; `null` lets PGlite run initdb there. It defaults to the
   * installed PGlite's {@link PgliteTemplate.default}.
   */
  static create(
    options: { template?: PgliteTemplate | null } = {},
  ): PgliteConnector {
    return new PgliteConnector(
      options.template === undefined ? defaultTemplate() : options.template,
    );
  }

  private constructor(template: PgliteTemplate | null) {
    this.#template = template;
  }

  async connect(target: DatabaseTarget): Promise<Knex> {
    if (target.connection.client !== 'pglite') {
      throw new TypeError(
        `PgliteConnector cannot open a '${target.connection.client}' connection`,
      );
    }
    const { acquireTimeoutMillis, ...ignored } = target.pool;
    const ignoredKeys = Object.keys(ignored);
    if (ignoredKeys.length > 0) {
      target.logger.warn(
        `Ignoring the pool settings ${quoteList(ignoredKeys)} for ${target.owner}: PGlite has a single connection shared by all plugins.`,
      );
    }
    const instance = await this.#open(target.connection.directory, target);
    const client = knex({
      client: instance.Client,
      connectionPool: instance.connection.poolFor(
        target.name,
        target.owner,
        acquireTimeoutMillis ?? defaultAcquireTimeoutMillis,
      ),
      log: toKnexLog(target.logger),
    });
    // knex keeps the class it was given as the client name, and code written
    // for PostgreSQL (Backstage's own migrations and scheduler) reads that
    // name as a string, `client.config.client === 'pg'` or `.includes()`.
    // PGlite speaks PostgreSQL, so it answers as 'pg', as `dialect` and
    // `driverName` already do; knex itself no longer reads the name.
    (client.client as Knex.Client).config.client = 'pg';
    this.#clients.add(client);
    await client.raw('CREATE SCHEMA IF NOT EXISTS ??', [target.name]);
    const { directory } = target.connection;
    target.logger.info(
      `Database of ${target.owner}: PGlite (embedded PostgreSQL), schema '${target.name}' ${directory ? `in the data directory '${directory}'` : 'in memory'}`,
    );
    return client;
  }

  /**
   * Refuses the queries still waiting for a connection, destroys every
   * client, then closes every PGlite and releases its lock, each whatever
   * the others do, so one failure leaves nothing open.
   * @throws AggregateError with every failure.
   */
  async close(): Promise<void> {
    const instances = [...this.#instances.values()];
    this.#instances.clear();
    const opened: PgliteInstance[] = [];
    for (const result of await Promise.allSettled(instances)) {
      if (result.status === 'fulfilled') {
        // Queries still waiting for the connection fail now rather than
        // when their acquire timeout ends, long after the backend stopped.
        result.value.connection.close();
        opened.push(result.value);
      }
    }
    const clients = [...this.#clients];
    this.#clients.clear();
    const failures: unknown[] = [];
    for (const result of await Promise.allSettled(
      clients.map(c => c.destroy()),
    )) {
      if (result.status === 'rejected') {
        failures.push(result.reason);
      }
    }
    for (const instance of opened) {
      try {
        await instance.pglite.close();
      } catch (error) {
        failures.push(error);
      } finally {
        await instance.lock?.release();
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `Closing the PGlite databases failed ${failures.length} time(s); every database was still closed.`,
      );
    }
  }

  #open(
    directory: string | undefined,
    target: DatabaseTarget,
  ): Promise<PgliteInstance> {
    const key = directory ?? ':memory:';
    let instance = this.#instances.get(key);
    if (!instance) {
      instance = openPglite(directory, target, this.#template);
      this.#instances.set(key, instance);
      // A failed open is not cached, so the next plugin tries again.
      instance.catch(() => this.#instances.delete(key));
    }
    return instance;
  }
}

async function openPglite(
  directory: string | undefined,
  { owner, logger }: DatabaseTarget,
  template: PgliteTemplate | null,
): Promise<PgliteInstance> {
  const lock = directory
    ? await DataDirectoryLock.acquire(directory)
    : undefined;
  let pglite: PGlite | undefined;
  try {
    if (directory && template) {
      await createFromTemplate(directory, template, logger);
    }
    pglite = directory ? new PGlite(directory) : new PGlite();
    await pglite.waitReady;
  } catch (cause) {
    // A half-started instance may still touch the directory; close it
    // before another may open it.
    await pglite?.close().catch(() => {});
    await lock?.release();
    throw databaseConnectionErrors.pglite(
      owner,
      directory ? `data directory '${directory}'` : 'in-memory database',
      cause,
    );
  }
  class BoundClient extends ClientPgLite {
    // knex-pglite would start a PGlite of its own; every client of this
    // instance borrows the shared connection through its pool instead.
    override initializeDriver(): void {
      this.driver = pglite;
    }
  }
  return {
    pglite,
    connection: new SharedPgliteConnection(pglite),
    Client: BoundClient,
    lock,
  };
}

/** The default template, or none where it cannot be located. */
function defaultTemplate(): PgliteTemplate | null {
  try {
    return PgliteTemplate.default();
  } catch {
    return null;
  }
}

/**
 * Copies the template into a new data directory, making the template
 * first when it is missing or stale. Without a template, PGlite runs
 * initdb itself: slower, never wrong.
 */
async function createFromTemplate(
  directory: string,
  template: PgliteTemplate,
  logger: LoggerService,
): Promise<void> {
  if (existsSync(path.join(directory, pgVersionFile))) {
    return;
  }
  try {
    if (await template.prepare()) {
      logger.info(
        `Made the PGlite template '${template.directory}' for new data directories.`,
      );
    }
    if (template.copyTo(directory)) {
      logger.info(
        `Created the PGlite data directory '${directory}' from the template '${template.directory}'.`,
      );
    }
  } catch (error) {
    logger.warn(
      `Could not create the PGlite data directory '${directory}' from the template '${template.directory}', so PGlite runs initdb in this process, which takes seconds and ~600 MiB more memory: ${String(error)}`,
    );
  }
}
