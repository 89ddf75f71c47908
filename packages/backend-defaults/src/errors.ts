import { CustomErrorBase } from '@plinth/errors';

/**
 * What a {@link ConfigError} is about. Codes are stable: match on them, not
 * on messages. The README lists each with its meaning and fix.
 *
 * @public
 */
export type ConfigErrorCode =
  /** Loading or validating the backend's config found problems; lists them. */
  | 'CONFIG_INVALID'
  /** A key that no config schema declares. */
  | 'CONFIG_UNKNOWN_KEY'
  /** A key such as `__proto__`, `constructor` or `prototype`. */
  | 'CONFIG_PROTOTYPE_KEY'
  /** `--config` has no path after it. */
  | 'CONFIG_ARGUMENT_INVALID'
  /** A config file does not exist. */
  | 'CONFIG_FILE_MISSING'
  /** A config file exists but cannot be read. */
  | 'CONFIG_FILE_UNREADABLE'
  /** A config file is not YAML, or not an object of keys. */
  | 'CONFIG_FILE_INVALID'
  /** An `APP_CONFIG_*` variable is not JSON or has an empty key. */
  | 'CONFIG_ENV_INVALID'
  /** Two `APP_CONFIG_*` variables set a value and a key below it. */
  | 'CONFIG_ENV_CONFLICT'
  /** `${VAR}` or `$env` names a variable that is not set. */
  | 'CONFIG_SUBSTITUTION_UNSET_VARIABLE'
  /** A `${...}`, `$env`, `$file` or `$include` is written wrongly. */
  | 'CONFIG_SUBSTITUTION_INVALID'
  /** The file of a `$file` or `$include` is missing or unusable. */
  | 'CONFIG_SUBSTITUTION_FILE'
  /** `$include`s form a loop. */
  | 'CONFIG_SUBSTITUTION_CYCLE'
  /** A package's config schema cannot be read or parsed. */
  | 'CONFIG_SCHEMA_UNREADABLE'
  /** A package's `configSchema` is neither an object nor a `.json` path. */
  | 'CONFIG_SCHEMA_UNSUPPORTED'
  /** A package's config schema is not valid JSON Schema. */
  | 'CONFIG_SCHEMA_INVALID'
  /** A `backend.database` value cannot be used. */
  | 'CONFIG_DATABASE_INVALID'
  /** A `backend.cache` value cannot be used. */
  | 'CONFIG_CACHE_INVALID'
  /** A base URL or `discovery.endpoints` entry cannot be used. */
  | 'CONFIG_DISCOVERY_INVALID'
  /** A base URL is asked for while `backend.listen.port` is 0. */
  | 'CONFIG_DISCOVERY_RANDOM_PORT'
  /** `LOG_LEVEL`, `backend.logging.level` or a logger option is no level. */
  | 'CONFIG_LOG_LEVEL_INVALID';

/**
 * The backend's configuration is wrong: a file, a value, a variable, a
 * schema. The message names the key and where it came from, and says how
 * to fix it; `code` tells the cases apart.
 *
 * @public
 */
export class ConfigError extends CustomErrorBase {
  readonly name = 'ConfigError' as const;
  /** The full key, such as `backend.cache.store`, when one is at fault. */
  readonly key: string | undefined;
  /**
   * Where the value came from: a file, an environment variable, or the
   * package whose config schema is at fault.
   */
  readonly source: string | undefined;
  /** For `CONFIG_INVALID`: every problem found, one per message line. */
  readonly problems: readonly Error[];

  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    details: {
      key?: string;
      source?: string;
      problems?: readonly Error[];
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause);
    this.key = details.key;
    this.source = details.source;
    this.problems = details.problems ?? [];
  }
}

/**
 * A config value has the wrong type or shape. Its own class, as the engine
 * reads `backend.startup` and the auth service its keys, telling bad config
 * apart from a broken config service by name.
 *
 * @public
 */
export class InvalidConfigError extends CustomErrorBase {
  readonly name = 'InvalidConfigError' as const;
  readonly code = 'CONFIG_INVALID_VALUE' as const;

  /**
   * @param key - the full dot-separated key.
   * @param context - where the value came from, such as a file name.
   * @param expected - such as `a number`.
   * @param actual - the offending value.
   * @param options - `secret: true` describes `actual` by type only, for
   *   values that must not appear in logs.
   */
  constructor(
    readonly key: string,
    readonly context: string,
    expected: string,
    actual: unknown,
    options?: { secret?: boolean },
  ) {
    super(
      `Invalid config at '${key}' (${context}): expected ${expected}, got ${describeConfigValue(actual, options)}.`,
    );
  }
}

/**
 * A required config value is absent. Its own class for the same reason as
 * {@link InvalidConfigError}.
 *
 * @public
 */
export class MissingConfigError extends CustomErrorBase {
  readonly name = 'MissingConfigError' as const;
  readonly code = 'CONFIG_MISSING_VALUE' as const;

  /**
   * @param key - the full dot-separated key.
   * @param contexts - the config sources that were searched.
   * @param requiredBy - the package whose config schema requires the value,
   *   when a schema rather than code found it missing.
   */
  constructor(
    readonly key: string,
    contexts: readonly string[],
    readonly requiredBy?: string,
  ) {
    const where =
      contexts.map(c => `'${c}'`).join(' or ') || 'your app-config.yaml';
    const why = requiredBy
      ? `, which the config schema of '${requiredBy}' requires`
      : '';
    super(
      `Missing required config value at '${key}'${why}; set it in ${where}.`,
    );
  }
}

/**
 * `backend.auth` is invalid; lists every problem. Its own class while the
 * auth service's tests build it.
 *
 * @public
 */
export class AuthConfigError extends CustomErrorBase {
  readonly name = 'AuthConfigError' as const;
  readonly code = 'CONFIG_AUTH_INVALID' as const;

  constructor(readonly problems: readonly string[]) {
    const count =
      problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Invalid auth config: found ${count} under 'backend.auth':\n${problems.map(p => `  - ${p}`).join('\n')}`,
    );
  }
}

/**
 * What a {@link DatabaseError} is about.
 *
 * @public
 */
export type DatabaseErrorCode =
  /** Connecting, or creating a plugin's database or schema, failed. */
  | 'DATABASE_CONNECTION_FAILED'
  /** The PGlite data directory is in use by another database manager. */
  | 'DATABASE_LOCKED';

/**
 * A plugin's database could not be opened; the message names the plugin,
 * the server or directory, and the fix, and `cause` holds the driver's
 * error.
 *
 * @public
 */
export class DatabaseError extends CustomErrorBase {
  readonly name = 'DatabaseError' as const;
  /** For `DATABASE_LOCKED`: the data directory. */
  readonly directory: string | undefined;
  /** For `DATABASE_LOCKED`: the lock file. */
  readonly lockFile: string | undefined;
  /** For `DATABASE_LOCKED`: the process that holds the lock, when known. */
  readonly pid: number | undefined;
  /** For `DATABASE_LOCKED`: the holder's host, when it is not this one. */
  readonly hostname: string | undefined;

  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    details: {
      cause?: unknown;
      directory?: string;
      lockFile?: string;
      pid?: number;
      hostname?: string;
    } = {},
  ) {
    super(message, details.cause);
    this.directory = details.directory;
    this.lockFile = details.lockFile;
    this.pid = details.pid;
    this.hostname = details.hostname;
  }
}

/**
 * A plugin waited too long for PGlite's one connection, which another
 * plugin's transaction holds. Its own class, as the HTTP error handler
 * hides it from responses like the database's own errors.
 *
 * @public
 */
export class DatabaseAcquireTimeoutError extends CustomErrorBase {
  readonly name = 'DatabaseAcquireTimeoutError' as const;
  readonly code = 'DATABASE_ACQUIRE_TIMEOUT' as const;

  /**
   * @param owner - who waited, such as `plugin 'catalog'`.
   * @param holder - who holds the connection.
   */
  constructor(
    readonly owner: string,
    readonly holder: string,
    readonly timeoutMillis: number,
  ) {
    super(
      `Timed out after ${timeoutMillis} ms: ${owner} waited for the embedded database connection, which ${holder} still holds. ` +
        'PGlite has one connection shared by all plugins, so a query made outside an open transaction waits until that transaction ends; ' +
        "run the query inside the transaction with .transacting(trx), or raise 'backend.database.pool.acquireTimeoutMillis'.",
    );
  }
}

/**
 * Renders a config value for an error message: scalars as JSON, containers
 * by kind, and secrets by type only so that no error prints them.
 */
export function describeConfigValue(
  value: unknown,
  options?: { secret?: boolean },
): string {
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value !== null && typeof value === 'object') {
    return 'an object';
  }
  if (options?.secret) {
    return `a ${value === null ? 'null' : typeof value} (secret, not shown)`;
  }
  return JSON.stringify(value);
}
