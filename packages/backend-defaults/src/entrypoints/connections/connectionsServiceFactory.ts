import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { connectionsServiceRef } from '@plinth/backend-plugin-api/alpha';

/**
 * The default {@link @plinth/backend-plugin-api/alpha#ConnectionsService}:
 * the connections of `connections`, `integrations` and `aws` config, read
 * once for the backend, each plugin seeing those `match` gives it.
 *
 * @example
 * ```ts
 * backend.add(connectionsServiceFactory); // createBackend() already does
 * ```
 * @alpha
 */
export const connectionsServiceFactory = createServiceFactory({
  service: connectionsServiceRef,
  deps: {
    config: coreServices.rootConfig,
    rootLogger: coreServices.rootLogger,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
  },
  // Loaded when a plugin first asks for connections, which most starts
  // never do: the schemas of every connection type cost ~30 ms to load.
  createRootContext: async ({ config, rootLogger }) => {
    const { DefaultConnectionsService } =
      await import('./DefaultConnectionsService');
    return DefaultConnectionsService.create({ config, logger: rootLogger });
  },
  factory: ({ logger, pluginMetadata }, connections) =>
    connections.forPlugin(pluginMetadata.getId(), { logger }),
});
