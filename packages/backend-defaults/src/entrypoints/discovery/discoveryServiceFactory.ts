import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { HostDiscovery } from './HostDiscovery';

/**
 * The default {@link @plinth/backend-plugin-api#DiscoveryService}: one
 * {@link HostDiscovery} read from config, shared by every plugin.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [rootConfigServiceFactory, discoveryServiceFactory],
 * });
 * ```
 * @throws {@link @plinth/backend-defaults#ConfigError} when the discovery config is invalid.
 * @public
 */
export const discoveryServiceFactory = createServiceFactory({
  service: coreServices.discovery,
  deps: { config: coreServices.rootConfig },
  createRootContext: ({ config }) => HostDiscovery.fromConfig(config),
  factory: (_deps, discovery) => discovery,
});
