import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import {
  DefaultRootPermissionsAuthorizerService,
  permissionsAuthorizerServiceRef,
} from '@plinth/backend-plugin-api/alpha';

/**
 * The default `alpha.core.permissionsAuthorizer`: an empty slot the
 * `permission` plugin fills, consulted by the permissions service of
 * every plugin before it asks the permission backend over HTTP. The
 * ref's default factory builds the same service; this one is added
 * explicitly so the defaults list every core service.
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
