import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { connectionsServiceRef } from '@plinth/backend-plugin-api/alpha';
import { DefaultConnectionsService } from './DefaultConnectionsService';

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
  createRootContext: ({ config, rootLogger }) =>
    DefaultConnectionsService.create({ config, logger: rootLogger }),
  factory: ({ logger, pluginMetadata }, connections) =>
    connections.forPlugin(pluginMetadata.getId(), { logger }),
});
