import { CustomErrorBase, isError, redactUrl } from '@plinth/errors';

/**
 * What a {@link ConfigError} is about. Codes are stable: match on them, not
 * on messages. The README lists each with its meaning and fix.
 *
 * @public
 */
export type ConfigErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_UNKNOWN_KEY'
  | 'CONFIG_PROTOTYPE_KEY'
  | 'CONFIG_ARGUMENT_INVALID'
  | 'CONFIG_FILE_MISSING'
  | 'CONFIG_FILE_UNREADABLE'
  | 'CONFIG_FILE_INVALID'
  | 'CONFIG_ENV_INVALID'
  | 'CONFIG_ENV_CONFLICT'
  | 'CONFIG_SUBSTITUTION_UNSET_VARIABLE'
  | 'CONFIG_SUBSTITUTION_INVALID'
  | 'CONFIG_SUBSTITUTION_FILE'
  | 'CONFIG_SUBSTITUTION_CYCLE'
  | 'CONFIG_SCHEMA_UNREADABLE'
  | 'CONFIG_SCHEMA_UNSUPPORTED'
  | 'CONFIG_SCHEMA_INVALID'
  | 'CONFIG_DATABASE_INVALID'
  | 'CONFIG_CACHE_INVALID'
  | 'CONFIG_DISCOVERY_INVALID'
  | 'CONFIG_DISCOVERY_RANDOM_PORT'
  | 'CONFIG_LOG_LEVEL_INVALID'
  | 'CONFIG_HEAP_GROWTH_INVALID'
  | 'CONFIG_CONNECTIONS_INVALID';

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
  | 'DATABASE_LOCKED'
  /** A plugin asked for PGlite's connection after the database was closed. */
  | 'DATABASE_CLOSED';

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

// The runtime services' errors: one maps to an HTTP status, the others are
// one family, `RuntimeServiceError`, told apart by `code`.

// The body parser plugins put in their routers, and so its errors, live in
// `@plinth/backend-plugin-api`; the class is re-exported here, where it
// was declared before plugins parsed their own bodies.
export { RequestBodyTooLargeError } from '@plinth/backend-plugin-api';

/**
 * An http(s) URL could not be read: the host did not resolve, the
 * connection failed or timed out, the server answered with an error status,
 * or it redirected too often. Answered with HTTP 502.
 *
 * @public
 */
export class UrlFetchError extends CustomErrorBase {
  readonly name = 'UrlFetchError' as const;

  /** The server answered with a status other than success, 304 or 404. */
  static status(
    url: string,
    status: number,
    statusText: string | undefined,
  ): UrlFetchError {
    const fix =
      status >= 500
        ? 'The server failed; try again later.'
        : 'Check the URL, and that the server lets this backend read it.';
    return new UrlFetchError(
      url,
      `Cannot read '${url}': the server answered ${status}${statusText ? ` ${statusText}` : ''}. ${fix}`,
      undefined,
      status,
    );
  }

  /** The host name could not be resolved to an address. */
  static lookup(url: string, hostname: string, cause: unknown): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': host '${hostname}' could not be resolved (${describeFetchCause(cause)}). Check the host name and the DNS of this backend.`,
      cause,
    );
  }

  /** The connection failed or broke off. */
  static network(url: string, cause: unknown): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': the request failed (${describeFetchCause(cause)}). Check that the server is reachable from this backend.`,
      cause,
    );
  }

  /** No complete answer arrived in time. */
  static timeout(url: string, timeoutMs: number): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': no complete answer arrived within ${timeoutMs} ms. Check the server, or raise 'backend.reading.timeout'.`,
    );
  }

  /** The server kept redirecting. */
  static tooManyRedirects(url: string, maxRedirects: number): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': it redirects more than ${maxRedirects} times. Read the final URL directly.`,
    );
  }

  /** A redirect's `Location` is not a URL. */
  static invalidRedirect(url: string, location: string): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': the server redirects to '${redactUrl(location)}', which is not a valid URL. Ask the server's owner to fix the redirect, or read the final URL directly.`,
    );
  }

  private constructor(
    /** The URL as {@link redactUrl} shows it: no credentials, query values or fragment. */
    readonly url: string,
    message: string,
    cause?: unknown,
    /** The HTTP status the server answered with, when it answered. */
    readonly statusCode?: number,
  ) {
    super(message, cause);
  }
}

/** A failed lookup or connection by its error code, such as `ENOTFOUND`. */
function describeFetchCause(error: unknown): string {
  if (!isError(error)) {
    return String(error);
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message;
}

/**
 * What went wrong in a {@link RuntimeServiceError}; the prefix names the
 * service. The README lists each with its meaning and fix.
 *
 * @public
 */
export type RuntimeServiceErrorCode =
  | 'HTTP_SERVER_PORT_IN_USE'
  | 'HTTP_SERVER_PERMISSION_DENIED'
  | 'HTTP_SERVER_UNKNOWN_HOST'
  | 'HTTP_SERVER_LISTEN_FAILED'
  | 'HTTP_SERVER_CLOSED'
  | 'URL_READ_TOO_LARGE'
  | 'SCHEDULER_TASK_TIMED_OUT'
  | 'SCHEDULER_TASK_CANCELLED'
  | 'SCHEDULER_TASK_RUN_CANCELLED'
  | 'SCHEDULER_TASK_LEASE_LOST'
  | 'SCHEDULER_TASK_SHUT_DOWN'
  | 'PERMISSION_BACKEND_UNAVAILABLE'
  | 'PERMISSION_BACKEND_FAILED'
  | 'PERMISSION_RESPONSE_INVALID'
  | 'ACTIONS_REGISTRATION_INVALID'
  | 'ACTIONS_NAME_TAKEN'
  | 'ACTIONS_OUTPUT_INVALID'
  | 'ACTIONS_RESPONSE_INVALID';

/**
 * A runtime service could not do what it was asked, for a reason its
 * `code` names: the HTTP server could not listen, a URL's content was too
 * large, or a scheduled task's run was aborted (the reason its
 * `AbortSignal` carries). The message says which ids are involved and how
 * to fix it.
 *
 * @public
 */
export class RuntimeServiceError extends CustomErrorBase {
  readonly name = 'RuntimeServiceError' as const;

  constructor(
    /** What went wrong; stable across releases, unlike the message. */
    readonly code: RuntimeServiceErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}
