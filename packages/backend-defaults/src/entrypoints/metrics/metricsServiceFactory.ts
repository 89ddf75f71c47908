import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { metricsServiceRef } from '@plinth/backend-plugin-api/alpha';
import { readInstrumentationScope } from '../../opentelemetry/readInstrumentationScope';
import { DefaultMetricsService } from './DefaultMetricsService';
import { rootMetricsServiceRef } from './rootMetricsServiceFactory';

/**
 * The default `alpha.core.metrics`: a {@link DefaultMetricsService} per
 * plugin, whose meter is named `backstage-plugin-<pluginId>` as in
 * Backstage, unless `backend.metrics.plugin.<pluginId>.meter` names it.
 *
 * @example
 * ```ts
 * backend.add(metricsServiceFactory);
 * ```
 * @throws {@link @plinth/backend-defaults#InvalidConfigError} when a
 *   `meter` setting is not a string.
 * @alpha
 */
export const metricsServiceFactory = createServiceFactory({
  service: metricsServiceRef,
  deps: {
    config: coreServices.rootConfig,
    pluginMetadata: coreServices.pluginMetadata,
    // Unused but awaited: it installs the meter provider, and a meter taken
    // from the global API before that would stay a no-op.
    rootMetrics: rootMetricsServiceRef,
  },
  factory: ({ config, pluginMetadata }) =>
    DefaultMetricsService.create(
      readInstrumentationScope(
        config,
        `backend.metrics.plugin.${pluginMetadata.getId()}.meter`,
        pluginMetadata.getId(),
      ),
    ),
});
