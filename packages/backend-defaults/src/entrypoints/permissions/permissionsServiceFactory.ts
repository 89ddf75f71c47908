import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { permissionsAuthorizerServiceRef } from '@plinth/backend-plugin-api/alpha';
import { DefaultPermissionsService } from './DefaultPermissionsService';

/**
 * The default `core.permissions`: a {@link DefaultPermissionsService} per
 * plugin; everything is allowed until `permission.enabled` is `true`,
 * then the `permission` plugin decides, in-process when it runs in the
 * same backend (through `alpha.core.permissionsAuthorizer`).
 *
 * @example
 * ```ts
 * backend.add(permissionsServiceFactory);
 * ```
 * @public
 */
export const permissionsServiceFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {
    auth: coreServices.auth,
    discovery: coreServices.discovery,
    config: coreServices.rootConfig,
    pluginMetadata: coreServices.pluginMetadata,
    authorizer: permissionsAuthorizerServiceRef,
  },
  factory: ({ auth, discovery, config, pluginMetadata, authorizer }) =>
    DefaultPermissionsService.create({
      pluginId: pluginMetadata.getId(),
      auth,
      discovery,
      config,
      authorizer,
    }),
});
