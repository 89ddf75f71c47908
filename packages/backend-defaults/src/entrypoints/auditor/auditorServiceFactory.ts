import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { auditorSinkServiceRef } from './AuditorSink';
import { DefaultAuditorService } from './DefaultAuditorService';

/**
 * The default `core.auditor`: a {@link DefaultAuditorService} per plugin,
 * writing to every sink of `auditorSinkServiceRef`, by default the root
 * logger.
 *
 * @example
 * ```ts
 * backend.add(auditorServiceFactory);
 * ```
 * @public
 */
export const auditorServiceFactory = createServiceFactory({
  service: coreServices.auditor,
  deps: {
    auth: coreServices.auth,
    httpAuth: coreServices.httpAuth,
    pluginMetadata: coreServices.pluginMetadata,
    sinks: auditorSinkServiceRef,
  },
  factory: ({ auth, httpAuth, pluginMetadata, sinks }) =>
    DefaultAuditorService.create({
      pluginId: pluginMetadata.getId(),
      auth,
      httpAuth,
      sinks,
    }),
});
