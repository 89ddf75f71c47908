import type {
  DatabaseService,
  LifecycleService,
  LoggerService,
  RootConfigService,
  RootLifecycleService,
} from '@plinth/backend-plugin-api';
import { ServiceUnavailableError } from '@plinth/errors';
import type { MetricsService } from '@plinth/backend-plugin-api/alpha';
import type { Knex } from 'knex';
import {
  databaseConnectorLoaders,
  type DatabaseClientName,
  type DatabaseConnector,
} from './DatabaseConnector';
import {
  readDatabaseSettings,
  type PluginDatabaseSettings,
} from './readDatabaseSettings';

/**
 * Options for {@link DatabaseManager.fromConfig}.
 *
 * @public
 */
export interface DatabaseManagerOptions {
  /** Receives the manager's own messages. */
  logger: LoggerService;
  /**
   * When given, every pool and PGlite instance closes in a root shutdown
   * hook, which runs after the plugins' shutdown hooks.
   * @defaultValue none: call {@link DatabaseManager.close} yourself
   */
  rootLifecycle?: RootLifecycleService;
}

/**
 * What {@link DatabaseManager.forPlugin} needs of the plugin.
 *
 * @public
 */
export interface DatabaseManagerPluginDeps {
  /** Receives the plugin's database warnings, such as knex pool errors. */
  logger: LoggerService;
  /**
   * The plugin's lifecycle. Its clients are not closed here but in the
   * manager's root shutdown hook, so the plugin's own shutdown hooks can
   * still write.
   * @defaultValue none
   */
  lifecycle?: LifecycleService;
}

/** What the metrics read of a knex pool (tarn's `Pool`). */
interface PoolStats {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** The manager of each backend, by its root config; see forRootConfig. */
const managersByConfig = new WeakMap<RootConfigService, DatabaseManager>();

/**
 * Opens each plugin's database from `backend.database`: PGlite (embedded,
 * the default) with a schema per plugin, or PostgreSQL with a database or a
 * schema per plugin, created on first use.
 *
 * @public
 */
export class DatabaseManager {
  readonly #settingsFor: (pluginId: string) => PluginDatabaseSettings;
  readonly #logger: LoggerService;
  readonly #connectors = new Map<
    DatabaseClientName,
    Promise<DatabaseConnector>
  >();
  readonly #clients = new Map<string, Promise<Knex>>();
  /** The clients connected so far, whose pools the metrics read. */
  readonly #connected = new Map<string, Knex>();
  #observingPools = false;
  #closed = false;

  /**
   * Reads and validates `backend.database`, including every plugin
   * override; connects nothing until a plugin asks for its client.
   *
   * @example
   * ```ts
   * const manager = DatabaseManager.fromConfig(config, { logger, rootLifecycle });
   * const database = manager.forPlugin('todo', { logger: todoLogger });
   * const knex = await database.getClient();
   * ```
   * @throws {@link @plinth/backend-defaults#ConfigError} or a config reader error naming the
   *   first invalid key under `backend.database`.
   */
  static fromConfig(
    config: RootConfigService,
    options: DatabaseManagerOptions,
  ): DatabaseManager {
    const manager = new DatabaseManager(
      readDatabaseSettings(config),
      options.logger,
    );
    options.rootLifecycle?.addShutdownHook(() => manager.close(), {
      name: 'close database connections',
    });
    return manager;
  }

  /**
   * The one manager of a backend: created from `config` on the first call
   * and returned for the same config object afterwards. The database
   * service and the events service of `@plinth/backend-defaults/events`
   * both use it, so a PGlite data directory is opened once per backend.
   *
   * @throws as {@link DatabaseManager.fromConfig} does.
   */
  static forRootConfig(
    config: RootConfigService,
    options: DatabaseManagerOptions,
  ): DatabaseManager {
    let manager = managersByConfig.get(config);
    if (!manager) {
      manager = DatabaseManager.fromConfig(config, options);
      managersByConfig.set(config, manager);
    }
    return manager;
  }

  private constructor(
    settingsFor: (pluginId: string) => PluginDatabaseSettings,
    logger: LoggerService,
  ) {
    this.#settingsFor = settingsFor;
    this.#logger = logger;
  }

  /**
   * The database service of one plugin. `getClient()` connects on first
   * call, creating the plugin's database or schema when missing, and
   * returns the same client afterwards.
   *
   * @throws {@link @plinth/backend-defaults#ConfigError} when the plugin's name is too long
   *   for PostgreSQL with the configured prefix.
   */
  forPlugin(
    pluginId: string,
    deps: DatabaseManagerPluginDeps,
  ): DatabaseService {
    const settings = this.#settingsFor(pluginId);
    return {
      getClient: () => this.#getClient(pluginId, settings, deps.logger),
      migrations: { skip: settings.skipMigrations },
    };
  }

  /**
   * Reports the connection pool of every plugin's client, once connected:
   * `db.client.connections.usage` (attributes `pool`, the plugin id, and
   * `state`, `used` or `idle`) and `db.client.connections.pending_requests`
   * (`pool`), read from knex's pool when metrics are collected. Later
   * calls do nothing, so every service sharing the manager may call it.
   */
  observePools(meter: MetricsService): void {
    if (this.#observingPools) {
      return;
    }
    this.#observingPools = true;
    const usage = meter.createObservableUpDownCounter(
      'db.client.connections.usage',
      {
        description: 'Connections of each pool, by state.',
        unit: '{connection}',
      },
    );
    const pending = meter.createObservableUpDownCounter(
      'db.client.connections.pending_requests',
      {
        description: 'Requests waiting for a connection of each pool.',
        unit: '{request}',
      },
    );
    usage.addCallback(result => {
      for (const [pool, stats] of this.#poolStats()) {
        result.observe(stats.numUsed(), { pool, state: 'used' });
        result.observe(stats.numFree(), { pool, state: 'idle' });
      }
    });
    pending.addCallback(result => {
      for (const [pool, stats] of this.#poolStats()) {
        result.observe(stats.numPendingAcquires(), { pool });
      }
    });
  }

  /** The pool of each connected client; knex creates it with the client. */
  *#poolStats(): Iterable<[string, PoolStats]> {
    for (const [pluginId, knex] of this.#connected) {
      const pool = (knex.client as { pool?: PoolStats }).pool;
      if (pool) {
        yield [pluginId, pool];
      }
    }
  }

  /**
   * Destroys every plugin's pool and closes PGlite. Clients asked for
   * afterwards fail.
   */
  async close(): Promise<void> {
    this.#closed = true;
    // Connections still being opened finish first, so none opens after
    // its connector has closed.
    await Promise.allSettled(this.#clients.values());
    this.#clients.clear();
    this.#connected.clear();
    const connectors = await Promise.allSettled(this.#connectors.values());
    this.#connectors.clear();
    await Promise.all(
      connectors.flatMap(c =>
        c.status === 'fulfilled' ? [c.value.close()] : [],
      ),
    );
  }

  #getClient(
    pluginId: string,
    settings: PluginDatabaseSettings,
    logger: LoggerService,
  ): Promise<Knex> {
    if (this.#closed) {
      return Promise.reject(
        new ServiceUnavailableError(
          `The database of plugin '${pluginId}' was requested after the backend closed its database connections; ask for the client during init or startup, not after shutdown.`,
        ),
      );
    }
    let client = this.#clients.get(pluginId);
    if (!client) {
      client = this.#connect(pluginId, settings, logger);
      this.#clients.set(pluginId, client);
      // A failed connection is not kept, so the plugin can try again.
      client.catch(() => {
        if (this.#clients.get(pluginId) === client) {
          this.#clients.delete(pluginId);
        }
      });
    }
    return client;
  }

  async #connect(
    pluginId: string,
    settings: PluginDatabaseSettings,
    logger: LoggerService,
  ): Promise<Knex> {
    const connector = await this.#connector(settings.client);
    const client = await connector.connect({
      owner: `plugin '${pluginId}'`,
      name: settings.name,
      divisionMode: settings.divisionMode,
      connection: settings.connection,
      connectionKey: settings.connectionKey,
      pool: settings.pool,
      logger,
    });
    this.#connected.set(pluginId, client);
    this.#logger.debug(
      `Opened the ${settings.divisionMode} '${settings.name}' of plugin '${pluginId}' with client '${settings.client}'.`,
    );
    return client;
  }

  #connector(client: DatabaseClientName): Promise<DatabaseConnector> {
    let connector = this.#connectors.get(client);
    if (!connector) {
      connector = databaseConnectorLoaders[client].load();
      this.#connectors.set(client, connector);
    }
    return connector;
  }
}
