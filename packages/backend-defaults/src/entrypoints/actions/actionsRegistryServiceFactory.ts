import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { actionsRegistryServiceRef } from '@plinth/backend-plugin-api/alpha';
import { createActionsRouter } from './createActionsRouter';
import { DefaultActionsRegistryService } from './DefaultActionsRegistryService';

/**
 * The default {@link @plinth/backend-plugin-api/alpha#ActionsRegistryService}:
 * each plugin gets a {@link DefaultActionsRegistryService} whose routes are
 * mounted on the plugin's router, behind its credentials barrier. It
 * authorizes callers for the actions' visibility permissions with the
 * plugin's permissions service and adds those permissions to the plugin's
 * permissions registry.
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
    permissions: coreServices.permissions,
    permissionsRegistry: coreServices.permissionsRegistry,
  },
  factory: ({
    pluginMetadata,
    httpRouter,
    httpAuth,
    auth,
    logger,
    config,
    permissions,
    permissionsRegistry,
  }) => {
    const registry = DefaultActionsRegistryService.create({
      pluginId: pluginMetadata.getId(),
      logger,
      config,
      permissions,
      permissionsRegistry,
    });
    httpRouter.use(createActionsRouter({ registry, httpAuth, auth, config }));
    return registry;
  },
});
