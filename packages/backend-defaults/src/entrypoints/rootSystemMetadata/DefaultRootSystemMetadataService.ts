import type {
  Config,
  RootInstanceMetadataService,
  RootSystemMetadataService,
  RootSystemMetadataServicePluginInfo,
} from '@plinth/backend-plugin-api';
import {
  readInstanceApiBases,
  type InstanceApiBases,
} from '../discovery/HostDiscovery';
import {
  fillBaseUrlTemplate,
  readDiscoveryEndpoints,
  type DiscoveryEndpoint,
} from '../discovery/readDiscoveryEndpoints';

type Host = { internal: string; external: string };

/**
 * The default {@link @plinth/backend-plugin-api#RootSystemMetadataService}:
 * the system is this instance plus the instances `discovery.endpoints`
 * points at.
 *
 * @remarks
 * A plugin installed here is hosted at this instance's base URLs
 * (`backend.listen`, `backend.baseUrl`); a plugin listed in
 * `discovery.endpoints` is hosted at its endpoint's URLs, whether or not it
 * is also installed here. A host is reported only when both of its URLs are
 * known: this instance has none while it listens on a random port without
 * `backend.baseUrl`. Plugins come in the order this instance installed
 * them, then in the order of the endpoints.
 *
 * @public
 */
export class DefaultRootSystemMetadataService implements RootSystemMetadataService {
  readonly #instance: RootInstanceMetadataService;
  readonly #bases: InstanceApiBases;
  readonly #endpoints: ReadonlyMap<string, DiscoveryEndpoint>;

  /**
   * Reads the discovery settings and this instance's base URLs.
   *
   * @example
   * ```ts
   * const system = DefaultRootSystemMetadataService.create({ config, instanceMetadata });
   * await system.getInstalledPlugins(); // [{ pluginId: 'catalog', hosts: [{ internal, external }] }]
   * ```
   * @throws {@link @plinth/backend-defaults#ConfigError} when the discovery
   *   config is invalid, as the discovery service reports it.
   */
  static create(options: {
    config: Config;
    instanceMetadata: RootInstanceMetadataService;
  }): DefaultRootSystemMetadataService {
    return new DefaultRootSystemMetadataService(
      options.instanceMetadata,
      readInstanceApiBases(options.config),
      readDiscoveryEndpoints(options.config),
    );
  }

  private constructor(
    instance: RootInstanceMetadataService,
    bases: InstanceApiBases,
    endpoints: ReadonlyMap<string, DiscoveryEndpoint>,
  ) {
    this.#instance = instance;
    this.#bases = bases;
    this.#endpoints = endpoints;
  }

  async getInstalledPlugins(): Promise<RootSystemMetadataServicePluginInfo[]> {
    const hosts = new Map<string, Host[]>();
    const addHost = (pluginId: string, host: Partial<Host>) => {
      const list = hosts.get(pluginId) ?? [];
      hosts.set(pluginId, list);
      const { internal, external } = host;
      if (
        internal !== undefined &&
        external !== undefined &&
        !list.some(h => h.internal === internal && h.external === external)
      ) {
        list.push({ internal, external });
      }
    };
    for (const { pluginId } of await this.#instance.getInstalledPlugins()) {
      addHost(pluginId, this.#ownHost(pluginId));
    }
    for (const [pluginId, endpoint] of this.#endpoints) {
      // A target that sets one kind of URL leaves the other at this
      // instance's default, as discovery resolves it.
      const own = this.#ownHost(pluginId);
      addHost(pluginId, {
        internal: endpoint.internal
          ? fillBaseUrlTemplate(endpoint.internal, pluginId)
          : own.internal,
        external: endpoint.external
          ? fillBaseUrlTemplate(endpoint.external, pluginId)
          : own.external,
      });
    }
    return [...hosts].map(([pluginId, list]) => ({ pluginId, hosts: list }));
  }

  #ownHost(pluginId: string): Partial<Host> {
    const { internal, external } = this.#bases;
    return {
      internal: internal && `${internal}/${pluginId}`,
      external: external && `${external}/${pluginId}`,
    };
  }
}
