import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { tracingServiceRef } from '@plinth/backend-plugin-api/alpha';
import { readInstrumentationScope } from '../../opentelemetry/readInstrumentationScope';
import { DefaultTracingService } from './DefaultTracingService';

/**
 * The default `alpha.core.tracing`: a {@link DefaultTracingService} per
 * plugin, whose tracer is named `backstage-plugin-<pluginId>` as in
 * Backstage, unless `backend.tracing.plugin.<pluginId>.tracer` names it.
 * `backend.tracing.capture.endUser: true` adds `enduser.id` to spans.
 *
 * @example
 * ```ts
 * backend.add(tracingServiceFactory);
 * ```
 * @alpha
 */
export const tracingServiceFactory = createServiceFactory({
  service: tracingServiceRef,
  deps: {
    config: coreServices.rootConfig,
    pluginMetadata: coreServices.pluginMetadata,
    httpAuth: coreServices.httpAuth,
  },
  factory: ({ config, pluginMetadata, httpAuth }) => {
    const pluginId = pluginMetadata.getId();
    return DefaultTracingService.create({
      scope: readInstrumentationScope(
        config,
        `backend.tracing.plugin.${pluginId}.tracer`,
        pluginId,
      ),
      pluginId,
      httpAuth,
      captureEndUser:
        config.getOptionalBoolean('backend.tracing.capture.endUser') ?? false,
    });
  },
});
