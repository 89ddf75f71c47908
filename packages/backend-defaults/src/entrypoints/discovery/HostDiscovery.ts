import {
  type Config,
  type DiscoveryService,
  describeIdRule,
  isValidId,
} from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import { readListenOptions } from '../rootHttpRouter/readListenOptions';
import {
  discoveryErrors,
  fillBaseUrlTemplate,
  readDiscoveryEndpoints,
  toBaseUrlTemplate,
  type DiscoveryEndpoint,
} from './readDiscoveryEndpoints';

/** Hosts that mean "every interface": other processes reach them as localhost. */
const wildcardHosts = new Set(['0.0.0.0', '::']);

/**
 * The `/api` base URLs of this backend instance, which plugins default to;
 * `undefined` when the port is random.
 */
export interface InstanceApiBases {
  internal: string | undefined;
  external: string | undefined;
}

/**
 * The default {@link @plinth/backend-plugin-api#DiscoveryService}: every
 * plugin lives on this backend, unless `discovery.endpoints` says otherwise.
 *
 * @remarks
 * Internal base URL: `http://<backend.listen.host>:<backend.listen.port>/api/<pluginId>`,
 * with `localhost` for an empty or wildcard host (`0.0.0.0`, `::`) and port
 * 7007 by default. External base URL: `<backend.baseUrl>/api/<pluginId>`,
 * with `http://localhost:<port>` by default. Each entry of
 * `discovery.endpoints` gives its `plugins` other URLs: `target` is one URL
 * for both, or `{ internal, external }`; `{{pluginId}}` in them is replaced
 * by the plugin id.
 *
 * @public
 */
export class HostDiscovery implements DiscoveryService {
  readonly #defaults: InstanceApiBases;
  readonly #endpoints: ReadonlyMap<string, DiscoveryEndpoint>;

  /**
   * Reads and checks the discovery settings.
   *
   * @example
   * ```ts
   * const discovery = HostDiscovery.fromConfig(config);
   * await discovery.getBaseUrl('catalog'); // 'http://localhost:7007/api/catalog'
   * ```
   * @throws `InvalidConfigError` when `backend.listen` is invalid, as the
   *   HTTP server reports it; {@link @plinth/backend-defaults#ConfigError} naming the
   *   key of a value that is not a valid URL or plugin id, or a plugin
   *   listed twice.
   */
  static fromConfig(config: Config): HostDiscovery {
    return new HostDiscovery(
      readInstanceApiBases(config),
      readDiscoveryEndpoints(config),
    );
  }

  private constructor(
    defaults: InstanceApiBases,
    endpoints: ReadonlyMap<string, DiscoveryEndpoint>,
  ) {
    this.#defaults = defaults;
    this.#endpoints = endpoints;
  }

  /**
   * The URL other backend plugins use to call `pluginId`.
   *
   * @throws {@link @plinth/errors#InputError} for an invalid plugin id;
   *   {@link @plinth/backend-defaults#ConfigError} when the port is random and no endpoint
   *   lists the plugin.
   */
  async getBaseUrl(pluginId: string): Promise<string> {
    return this.#resolve(pluginId, 'internal', 'getBaseUrl');
  }

  /**
   * The URL callers outside the backend use to call `pluginId`.
   *
   * @throws {@link @plinth/errors#InputError} for an invalid plugin id;
   *   {@link @plinth/backend-defaults#ConfigError} when the port is random, `backend.baseUrl`
   *   is unset and no endpoint lists the plugin.
   */
  async getExternalBaseUrl(pluginId: string): Promise<string> {
    return this.#resolve(pluginId, 'external', 'getExternalBaseUrl');
  }

  #resolve(
    pluginId: string,
    kind: 'internal' | 'external',
    method: string,
  ): string {
    const id: unknown = pluginId;
    if (!isValidId('plugin id', id)) {
      const shown = typeof id === 'string' ? `'${id}'` : String(id);
      throw new InputError(
        `Invalid plugin id ${shown} passed to discovery.${method}(): use ${describeIdRule('plugin id')}.`,
      );
    }
    const template = this.#endpoints.get(pluginId)?.[kind];
    if (template) {
      return fillBaseUrlTemplate(template, pluginId);
    }
    const base = this.#defaults[kind];
    if (!base) {
      throw discoveryErrors.randomPort(pluginId, kind);
    }
    return `${base}/${pluginId}`;
  }
}

/**
 * Reads this instance's own `/api` base URLs from `backend.listen` and
 * `backend.baseUrl`, regardless of `discovery.endpoints`.
 *
 * @throws `InvalidConfigError` when `backend.listen` is invalid;
 *   {@link @plinth/backend-defaults#ConfigError} when `backend.baseUrl` is no URL.
 */
export function readInstanceApiBases(config: Config): InstanceApiBases {
  const { host, port } = readListenOptions(config);
  const baseUrl = config.getOptionalString('backend.baseUrl');
  return {
    internal:
      port === 0 ? undefined : `http://${toInternalHost(host)}:${port}/api`,
    external: baseUrl
      ? `${toBaseUrlTemplate(baseUrl, 'backend.baseUrl', 'https://backstage.example.com')}/api`
      : port === 0
        ? undefined
        : `http://localhost:${port}/api`,
  };
}

/**
 * The host other processes on this machine use to reach the listen host:
 * `localhost` when it listens on every interface, IPv6 in brackets.
 */
function toInternalHost(host: string | undefined): string {
  if (host === undefined || wildcardHosts.has(host)) {
    return 'localhost';
  }
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
