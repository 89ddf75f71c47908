import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { DefaultSchedulerService } from './DefaultSchedulerService';

/**
 * The default {@link @plinth/backend-plugin-api#SchedulerService}: one
 * {@link DefaultSchedulerService} per plugin, keeping global tasks in the
 * plugin's database.
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
  },
  factory: deps => DefaultSchedulerService.create(deps),
});
