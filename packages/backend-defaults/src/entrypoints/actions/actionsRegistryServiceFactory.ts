import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { actionsRegistryServiceRef } from '@plinth/backend-plugin-api/alpha';
import { createActionsRouter } from './createActionsRouter';
import { DefaultActionsRegistryService } from './DefaultActionsRegistryService';

/**
 * The default {@link @plinth/backend-plugin-api/alpha#ActionsRegistryService}:
 * each plugin gets a {@link DefaultActionsRegistryService} whose routes are
 * mounted on the plugin's router, behind its credentials barrier.
 *
 * @example
 * ```ts
 * backend.add(actionsRegistryServiceFactory); // createBackend() already does
 * ```
 * @public
 */
export const actionsRegistryServiceFactory = createServiceFactory({
  service: actionsRegistryServiceRef,
  deps: {
    pluginMetadata: coreServices.pluginMetadata,
    httpRouter: coreServices.httpRouter,
    httpAuth: coreServices.httpAuth,
    auth: coreServices.auth,
    logger: coreServices.logger,
    config: coreServices.rootConfig,
  },
  factory: ({ pluginMetadata, httpRouter, httpAuth, auth, logger, config }) => {
    const registry = DefaultActionsRegistryService.create({
      pluginId: pluginMetadata.getId(),
      logger,
      config,
    });
    httpRouter.use(createActionsRouter({ registry, httpAuth, auth }));
    return registry;
  },
});
