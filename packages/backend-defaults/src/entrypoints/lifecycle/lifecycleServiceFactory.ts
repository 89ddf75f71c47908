import { LifecycleHooks } from '@plinth/backend-app-api';
import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';

/**
 * The default plugin lifecycle: startup and shutdown hooks of one plugin,
 * owned by `plugin '<id>'`. The backend runs them; a failed hook is logged
 * to the plugin's logger, naming the hook and the plugin.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [loggerServiceFactory, lifecycleServiceFactory],
 * });
 * ```
 * @public
 */
export const lifecycleServiceFactory = createServiceFactory({
  service: coreServices.lifecycle,
  deps: {
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
  },
  factory: ({ logger, pluginMetadata }) =>
    LifecycleHooks.create({
      owner: `plugin '${pluginMetadata.getId()}'`,
      logger,
    }),
});
