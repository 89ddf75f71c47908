import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';

/**
 * The default plugin logger: the root logger with the field `plugin` set to
 * the plugin id, so every line says which plugin wrote it.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [rootLoggerServiceFactory, loggerServiceFactory],
 * });
 * ```
 * @public
 */
export const loggerServiceFactory = createServiceFactory({
  service: coreServices.logger,
  deps: {
    rootLogger: coreServices.rootLogger,
    pluginMetadata: coreServices.pluginMetadata,
  },
  factory: ({ rootLogger, pluginMetadata }) =>
    rootLogger.child({ plugin: pluginMetadata.getId() }),
});
