import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { permissionsAuthorizerServiceRef } from '@plinth/backend-plugin-api/alpha';
import { DefaultPermissionsRegistryService } from './DefaultPermissionsRegistryService';

/**
 * The default `core.permissionsRegistry`: a
 * {@link DefaultPermissionsRegistryService} per plugin, whose routes are
 * added to the plugin's router when the plugin first asks for it.
 *
 * @example
 * ```ts
 * backend.add(permissionsRegistryServiceFactory);
 * ```
 * @public
 */
export const permissionsRegistryServiceFactory = createServiceFactory({
  service: coreServices.permissionsRegistry,
  deps: {
    auth: coreServices.auth,
    httpAuth: coreServices.httpAuth,
    httpRouter: coreServices.httpRouter,
    lifecycle: coreServices.lifecycle,
    pluginMetadata: coreServices.pluginMetadata,
    config: coreServices.rootConfig,
    authorizer: permissionsAuthorizerServiceRef,
  },
  factory: ({
    auth,
    httpAuth,
    httpRouter,
    lifecycle,
    pluginMetadata,
    config,
    authorizer,
  }) =>
    DefaultPermissionsRegistryService.create({
      pluginId: pluginMetadata.getId(),
      auth,
      httpAuth,
      httpRouter,
      lifecycle,
      config,
      authorizer,
    }),
});
