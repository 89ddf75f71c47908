import type { Config, JsonValue } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';
import { databaseConfigErrors } from './databaseErrors';
import {
  databaseConnectorLoaders,
  isDatabaseClientName,
  type DatabaseClientName,
  type DatabaseConnection,
} from './DatabaseConnector';

const rootKey = 'backend.database';
const defaultPrefix = 'plinth_plugin_';
const maxNameBytes = 63;

/** Everything needed to open one plugin's database. */
export interface PluginDatabaseSettings {
  client: DatabaseClientName;
  connection: DatabaseConnection;
  /** The key the connection was read from, for messages. */
  connectionKey: string;
  /** `<prefix><pluginId>`: the database or schema name. */
  name: string;
  divisionMode: 'database' | 'schema';
  pool: Knex.PoolConfig;
  skipMigrations: boolean;
}

/** One level of settings: `backend.database` or `backend.database.plugin.<id>`. */
interface Layer {
  key: string;
  client?: string;
  connection?: JsonValue;
  pool: Knex.PoolConfig;
  skipMigrations?: boolean;
  divisionMode?: string;
}

/**
 * Reads and validates `backend.database`, including every
 * `plugin.<pluginId>` override, and returns the settings of any plugin.
 * A plugin's values override the base; its connection and pool objects
 * merge over the base ones when both use the same client, and replace them
 * when the plugin names another client.
 * @throws {@link @plinth/backend-defaults#ConfigError} or a config reader error naming the
 *   first invalid key.
 */
export function readDatabaseSettings(
  config: Config,
): (pluginId: string) => PluginDatabaseSettings {
  const database = config.getOptionalConfig(rootKey);
  const base = readLayer(database, rootKey);
  const prefix = database?.getOptional('prefix') ?? defaultPrefix;
  if (typeof prefix !== 'string' || !/^[\w-]*$/.test(prefix)) {
    throw databaseConfigErrors.invalidPrefix(`${rootKey}.prefix`);
  }
  const plugins = database?.getOptionalConfig('plugin');
  const overrides = new Map<string, PluginDatabaseSettings>();
  resolveSettings(base, undefined, '', prefix);
  for (const pluginId of plugins?.keys() ?? []) {
    const layer = readLayer(
      plugins!.getConfig(pluginId),
      `${rootKey}.plugin.${pluginId}`,
    );
    overrides.set(pluginId, resolveSettings(base, layer, pluginId, prefix));
  }
  return pluginId =>
    overrides.get(pluginId) ??
    resolveSettings(base, undefined, pluginId, prefix);
}

function readLayer(config: Config | undefined, key: string): Layer {
  return {
    key,
    client: config?.getOptionalString('client'),
    connection: config?.getOptional('connection'),
    pool: readPoolConfig(config?.getOptionalConfig('pool'), `${key}.pool`),
    skipMigrations: config?.getOptionalBoolean('skipMigrations'),
    divisionMode: config?.getOptionalString('pluginDivisionMode'),
  };
}

function resolveSettings(
  base: Layer,
  plugin: Layer | undefined,
  pluginId: string,
  prefix: string,
): PluginDatabaseSettings {
  const baseClient = base.client ?? 'pglite';
  const client = plugin?.client ?? baseClient;
  if (!isDatabaseClientName(client)) {
    const key = plugin?.client ? plugin.key : base.key;
    throw databaseConfigErrors.unknownClient(
      `${key}.client`,
      client,
      Object.keys(databaseConnectorLoaders),
    );
  }
  // Settings written for another client do not apply to this one.
  const inherited = client === baseClient ? base : undefined;
  const { connection, connectionKey } = resolveConnection(
    client,
    inherited,
    plugin,
  );
  const name = `${prefix}${pluginId}`;
  if (Buffer.byteLength(name) > maxNameBytes) {
    throw databaseConfigErrors.nameTooLong(`${rootKey}.prefix`, name, pluginId);
  }
  return {
    client,
    connection,
    connectionKey,
    name,
    divisionMode: resolveDivisionMode(client, inherited, plugin),
    pool: { ...inherited?.pool, ...plugin?.pool },
    skipMigrations: plugin?.skipMigrations ?? base.skipMigrations ?? false,
  };
}

function resolveConnection(
  client: DatabaseClientName,
  inherited: Layer | undefined,
  plugin: Layer | undefined,
): { connection: DatabaseConnection; connectionKey: string } {
  const { readConnection } = databaseConnectorLoaders[client];
  const own =
    plugin?.connection === undefined
      ? undefined
      : readConnection(plugin.connection, `${plugin.key}.connection`);
  const lower =
    inherited && (own === undefined || typeof plugin?.connection === 'object')
      ? readConnectionOrUndefined(client, inherited)
      : undefined;
  if (own && lower?.client === 'pg' && own.client === 'pg') {
    return {
      connection: {
        client: 'pg',
        settings: { ...lower.settings, ...own.settings },
      },
      connectionKey: `${plugin!.key}.connection`,
    };
  }
  if (own) {
    return { connection: own, connectionKey: `${plugin!.key}.connection` };
  }
  const key = `${(inherited ?? plugin)!.key}.connection`;
  return {
    connection: lower ?? readConnection(undefined, key),
    connectionKey: key,
  };
}

/**
 * The base connection, or undefined when it is absent and a plugin may
 * still supply it.
 */
function readConnectionOrUndefined(
  client: DatabaseClientName,
  layer: Layer,
): DatabaseConnection | undefined {
  return layer.connection === undefined
    ? undefined
    : databaseConnectorLoaders[client].readConnection(
        layer.connection,
        `${layer.key}.connection`,
      );
}

function resolveDivisionMode(
  client: DatabaseClientName,
  inherited: Layer | undefined,
  plugin: Layer | undefined,
): 'database' | 'schema' {
  const layer = plugin?.divisionMode ? plugin : inherited;
  const mode = layer?.divisionMode;
  if (mode === undefined) {
    return client === 'pg' ? 'database' : 'schema';
  }
  const key = `${layer!.key}.pluginDivisionMode`;
  if (mode !== 'database' && mode !== 'schema') {
    throw databaseConfigErrors.unknownDivisionMode(key, mode);
  }
  if (client === 'pglite' && mode === 'database') {
    throw databaseConfigErrors.pgliteDivisionMode(key);
  }
  return mode;
}

const numberKeys = [
  'min',
  'max',
  'acquireTimeoutMillis',
  'createTimeoutMillis',
  'destroyTimeoutMillis',
  'idleTimeoutMillis',
  'reapIntervalMillis',
  'createRetryIntervalMillis',
  'maxConnectionLifetimeMillis',
  'maxConnectionLifetimeJitterMillis',
] as const;

const booleanKeys = ['propagateCreateError'] as const;

/**
 * Reads the knex pool settings at `key` (`backend.database.pool` or a
 * plugin's), accepting numbers written as strings, as environment
 * variables give.
 * @throws {@link @plinth/backend-defaults#ConfigError} for a key knex does not know.
 */
export function readPoolConfig(
  config: Config | undefined,
  key: string,
): Knex.PoolConfig {
  const pool: Record<string, number | boolean> = {};
  for (const name of config?.keys() ?? []) {
    if ((numberKeys as readonly string[]).includes(name)) {
      pool[name] = config!.getNumber(name);
    } else if ((booleanKeys as readonly string[]).includes(name)) {
      pool[name] = config!.getBoolean(name);
    } else {
      throw databaseConfigErrors.unknownPoolKey(`${key}.${name}`, [
        ...numberKeys,
        ...booleanKeys,
      ]);
    }
  }
  return pool;
}
