import type { Config, LoggerService } from '@plinth/backend-plugin-api';
import type { ConnectionsService } from '@plinth/backend-plugin-api/alpha';
import { InputError, NotAllowedError, NotFoundError } from '@plinth/errors';
import { connectionTypeSpecs, identityOf } from './connectionTypes';
import {
  readConnectionsConfig,
  type ConfiguredConnection,
} from './readConnectionsConfig';

/**
 * Options for {@link DefaultConnectionsService.create}.
 *
 * @alpha
 */
export interface DefaultConnectionsServiceOptions {
  /** Holds `connections`, and the legacy `integrations` and `aws` keys. */
  config: Config;
  logger: LoggerService;
}

type FindOptions = {
  type: string;
  query: Record<string, unknown>;
  authMethods?: readonly string[];
};

/**
 * The connections of the backend's config, read and validated once, from
 * which each plugin gets its own view with {@link DefaultConnectionsService.forPlugin}.
 *
 * @alpha
 */
export class DefaultConnectionsService {
  readonly #connections: readonly ConfiguredConnection[];
  readonly #logger: LoggerService;

  private constructor(
    connections: ConfiguredConnection[],
    logger: LoggerService,
  ) {
    this.#connections = connections;
    this.#logger = logger;
  }

  /**
   * Reads and validates the connections config.
   *
   * @throws `ConfigError` with code `CONFIG_CONNECTIONS_INVALID`, naming
   * every invalid connection.
   */
  static create(
    options: DefaultConnectionsServiceOptions,
  ): DefaultConnectionsService {
    const connections = readConnectionsConfig(options.config, options.logger);
    if (connections.length > 0) {
      options.logger.info(
        `Loaded ${connections.length} connection${connections.length === 1 ? '' : 's'} from config.`,
      );
    }
    return new DefaultConnectionsService(connections, options.logger);
  }

  /**
   * The service a plugin sees: connections limited by `match.plugins` to
   * other plugins are left out, and auth entries limited to this plugin
   * come before the unlimited ones, so they win the choice.
   */
  forPlugin(
    pluginId: string,
    options?: { logger?: LoggerService },
  ): ConnectionsService {
    const visible = this.#connections.flatMap(connection => {
      if (connection.match && !connection.match.plugins.includes(pluginId)) {
        return [];
      }
      const own = connection.auth.filter(a =>
        a.match?.plugins.includes(pluginId),
      );
      const shared = connection.auth.filter(a => !a.match);
      return [{ ...connection, auth: [...own, ...shared] }];
    });
    const logger = options?.logger ?? this.#logger;
    return {
      find: (opts: FindOptions) => find(visible, opts, logger),
    } as ConnectionsService;
  }
}

function describeHost(identity: string | undefined) {
  return identity === undefined ? '' : ` for host '${identity}'`;
}

async function find(
  connections: readonly ConfiguredConnection[],
  options: FindOptions,
  logger: LoggerService,
) {
  const { type, query, authMethods } = options ?? {};
  const spec = connectionTypeSpecs.get(type);
  if (!spec) {
    throw new InputError(
      `Unknown connection type ${JSON.stringify(type)} passed to ConnectionsService.find; use one of ${[...connectionTypeSpecs.keys()].map(t => `'${t}'`).join(', ')}.`,
    );
  }
  let identity: string | undefined;
  if (spec.lookupStrategy === 'host') {
    const url = (query as { url?: unknown } | undefined)?.url;
    try {
      identity = new URL(String(url)).host;
    } catch {
      throw new InputError(
        `Invalid url ${JSON.stringify(url)} passed to ConnectionsService.find for connection type '${type}'; pass an absolute URL such as https://host/path.`,
      );
    }
  }
  const connection = connections.find(
    c =>
      c.type === type &&
      (identity === undefined || identityOf(spec, c) === identity),
  );
  if (!connection) {
    throw new NotFoundError(
      `No connection of type '${type}'${describeHost(identity)} is configured for this plugin.`,
    );
  }
  if (!authMethods) {
    const { auth: _auth, ...withoutAuth } = connection;
    return withoutAuth;
  }
  if (connection.auth.length === 0) {
    throw new NotAllowedError(
      `The connection of type '${type}'${describeHost(identity)} has no auth entry available to this plugin.`,
    );
  }
  const selected = spec.matchAuth
    ? spec.matchAuth(connection.auth, query ?? {})
    : connection.auth[0];
  if (!selected) {
    throw new NotFoundError(
      `No auth entry of the connection of type '${type}'${describeHost(identity)} matches the query.`,
    );
  }
  if (!authMethods.includes(selected.method)) {
    throw new NotAllowedError(
      `The connection of type '${type}'${describeHost(identity)} uses auth method '${selected.method}', which is not among the accepted methods ${authMethods.map(m => `'${m}'`).join(', ')}.`,
    );
  }
  logger.debug(
    `Using the ${type} connection${describeHost(identity)} with auth method '${selected.method}'.`,
  );
  return { ...connection, auth: selected };
}
