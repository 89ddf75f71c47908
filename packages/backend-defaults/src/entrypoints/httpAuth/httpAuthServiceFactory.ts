import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { DefaultHttpAuthService } from './DefaultHttpAuthService';

/**
 * The default {@link @plinth/backend-plugin-api#HttpAuthService}: bearer
 * tokens and the user cookie, verified by `core.auth`.
 *
 * @example
 * ```ts
 * backend.add(httpAuthServiceFactory);
 * ```
 * @public
 */
export const httpAuthServiceFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: {
    auth: coreServices.auth,
    discovery: coreServices.discovery,
    pluginMetadata: coreServices.pluginMetadata,
  },
  factory: ({ auth, discovery, pluginMetadata }) =>
    DefaultHttpAuthService.create({
      auth,
      discovery,
      pluginId: pluginMetadata.getId(),
    }),
});
