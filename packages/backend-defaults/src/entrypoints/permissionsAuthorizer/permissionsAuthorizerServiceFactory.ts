import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { permissionsAuthorizerServiceRef } from '@plinth/backend-plugin-api/alpha';
import { DefaultRootPermissionsAuthorizerService } from './DefaultRootPermissionsAuthorizerService';

/**
 * The default `alpha.core.permissionsAuthorizer`: an empty slot the
 * `permission` plugin fills, consulted by the permissions service of
 * every plugin before it asks the permission backend over HTTP.
 *
 * @example
 * ```ts
 * backend.add(permissionsAuthorizerServiceFactory); // createBackend() already does
 * ```
 * @alpha
 */
export const permissionsAuthorizerServiceFactory = createServiceFactory({
  service: permissionsAuthorizerServiceRef,
  deps: {
    rootInstanceMetadata: coreServices.rootInstanceMetadata,
    rootLifecycle: coreServices.rootLifecycle,
  },
  factory: ({ rootInstanceMetadata, rootLifecycle }) =>
    DefaultRootPermissionsAuthorizerService.create({
      rootInstanceMetadata,
      rootLifecycle,
    }),
});
