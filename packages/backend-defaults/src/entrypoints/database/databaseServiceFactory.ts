import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { rootMetricsServiceRef } from '../metrics/rootMetricsServiceFactory';
import { DatabaseManager } from './DatabaseManager';

/**
 * The default {@link @plinth/backend-plugin-api#DatabaseService}: one
 * {@link DatabaseManager} for the backend, read from `backend.database`,
 * and a database or schema per plugin.
 *
 * @example
 * ```ts
 * const backend = createBackend();
 * backend.add(databaseServiceFactory); // already a default; add it to replace a mock
 * ```
 * @public
 */
export const databaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    rootLogger: coreServices.rootLogger,
    rootLifecycle: coreServices.rootLifecycle,
    logger: coreServices.logger,
    lifecycle: coreServices.lifecycle,
    pluginMetadata: coreServices.pluginMetadata,
    rootMetrics: rootMetricsServiceRef,
  },
  createRootContext: ({ config, rootLogger, rootLifecycle, rootMetrics }) => {
    const manager = DatabaseManager.forRootConfig(config, {
      logger: rootLogger.child({ service: 'database' }),
      rootLifecycle,
    });
    manager.observePools(rootMetrics.meter);
    return manager;
  },
  factory: ({ logger, lifecycle, pluginMetadata }, manager) =>
    manager.forPlugin(pluginMetadata.getId(), { logger, lifecycle }),
});
