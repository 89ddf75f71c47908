import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { DefaultPermissionsService } from './DefaultPermissionsService';

/**
 * The default `core.permissions`: a {@link DefaultPermissionsService} per
 * plugin; everything is allowed until `permission.enabled` is `true`.
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
  },
  factory: ({ auth, discovery, config, pluginMetadata }) =>
    DefaultPermissionsService.create({
      pluginId: pluginMetadata.getId(),
      auth,
      discovery,
      config,
    }),
});
