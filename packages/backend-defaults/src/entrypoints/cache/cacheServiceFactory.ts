import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { CacheManager } from './CacheManager';

/**
 * The default {@link @plinth/backend-plugin-api#CacheService}: one store for
 * the backend, from `backend.cache` (memory unless `store: redis`), and a
 * namespace in it for each plugin.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [rootConfigServiceFactory, cacheServiceFactory],
 * });
 * ```
 * @throws {@link @plinth/backend-defaults#ConfigError} when `backend.cache` is invalid.
 * @public
 */
export const cacheServiceFactory = createServiceFactory({
  service: coreServices.cache,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
    lifecycle: coreServices.rootLifecycle,
    pluginMetadata: coreServices.pluginMetadata,
  },
  createRootContext: ({ config, logger, lifecycle }) =>
    CacheManager.fromConfig(config, { logger, lifecycle }),
  factory: ({ pluginMetadata }, manager) =>
    manager.forPlugin(pluginMetadata.getId()),
});
