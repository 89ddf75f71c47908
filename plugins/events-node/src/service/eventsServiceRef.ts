import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type ServiceFactory,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import type { EventsService } from '../api/EventsService';
import { DefaultEventsService } from './DefaultEventsService';

/**
 * The events service: publish events on topics and subscribe to them,
 * across plugins. Plugin-scoped, id `events.service`, as Backstage's
 * `eventsServiceRef`. Without a factory in the backend it falls back to
 * the in-process {@link eventsServiceFactory}.
 *
 * @public
 */
export const eventsServiceRef: ServiceRef<
  EventsService,
  'plugin',
  'singleton'
> = createServiceRef<EventsService>({
  id: 'events.service',
  scope: 'plugin',
  // Read when a backend without a factory first needs the service, after
  // this module has defined the factory below.
  defaultFactory: async (): Promise<ServiceFactory> => eventsServiceFactory,
});

/**
 * The in-process {@link EventsService} factory: one
 * {@link DefaultEventsService} for the backend, seen by each plugin with
 * its subscriber ids prefixed by the plugin id. It is the default of
 * {@link eventsServiceRef}; `createBackend()` of
 * `@plinth/backend-defaults` replaces it with the database-backed
 * `eventsServiceFactory` of `@plinth/backend-defaults/events`, which
 * delivers across replicas.
 *
 * @example
 * ```ts
 * // A backend that wants in-process events only:
 * backend.add(eventsServiceFactory);
 * ```
 * @public
 */
export const eventsServiceFactory: ServiceFactory<
  EventsService,
  'plugin',
  'singleton'
> = createServiceFactory({
  service: eventsServiceRef,
  deps: {
    rootLogger: coreServices.rootLogger,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
  },
  createRootContext: ({ rootLogger }) =>
    DefaultEventsService.create({
      logger: rootLogger.child({ service: 'events' }),
    }),
  factory: ({ logger, pluginMetadata }, events) =>
    events.forPlugin(pluginMetadata.getId(), { logger }),
});
