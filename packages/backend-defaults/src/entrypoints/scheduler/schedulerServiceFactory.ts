import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { metricsServiceRef } from '@plinth/backend-plugin-api/alpha';
import { DefaultSchedulerService } from './DefaultSchedulerService';

/**
 * The default {@link @plinth/backend-plugin-api#SchedulerService}: one
 * {@link DefaultSchedulerService} per plugin, keeping global tasks in the
 * plugin's database and recording its runs on the plugin's
 * `alpha.core.metrics` meter.
 *
 * @example
 * ```ts
 * // Already a default of createBackend(); add it to a backend built otherwise.
 * backend.add(schedulerServiceFactory);
 * ```
 * @public
 */
export const schedulerServiceFactory = createServiceFactory({
  service: coreServices.scheduler,
  deps: {
    database: coreServices.database,
    logger: coreServices.logger,
    lifecycle: coreServices.lifecycle,
    pluginMetadata: coreServices.pluginMetadata,
    rootConfig: coreServices.rootConfig,
    metrics: metricsServiceRef,
  },
  factory: deps => DefaultSchedulerService.create(deps),
});
