import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { metricsServiceRef } from '@plinth/backend-plugin-api/alpha';
import { eventsServiceRef } from '@plinth/plugin-events-node';
import { DatabaseManager } from '../database/DatabaseManager';
import { DatabaseEventsService } from './DatabaseEventsService';
import { EventsStore } from './EventsStore';
import { readEventsConfig } from './readEventsConfig';

/**
 * The database-backed {@link @plinth/plugin-events-node#EventsService}
 * of `createBackend()`: events are stored in the database of `events`
 * (`backend.database`, overridable under `backend.database.plugin.events`)
 * and delivered to each subscriber id once, across replicas, by
 * {@link DatabaseEventsService}, which measures each plugin's delivery
 * on its `alpha.core.metrics`. Delivery stops in the root
 * before-shutdown phase; publishing works until the database closes.
 *
 * @example
 * ```ts
 * // Already a default of createBackend(); add it to a backend built otherwise.
 * backend.add(eventsServiceFactory);
 * ```
 * @public
 */
export const eventsServiceFactory = createServiceFactory({
  service: eventsServiceRef,
  deps: {
    config: coreServices.rootConfig,
    rootLogger: coreServices.rootLogger,
    rootLifecycle: coreServices.rootLifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    metrics: metricsServiceRef,
  },
  createRootContext: ({ config, rootLogger, rootLifecycle }) => {
    const options = readEventsConfig(config);
    const logger = rootLogger.child({ service: 'events' });
    const database = DatabaseManager.forRootConfig(config, {
      logger: rootLogger.child({ service: 'database' }),
      rootLifecycle,
    }).forPlugin('events', { logger });
    const events = DatabaseEventsService.create(
      async () => EventsStore.open(await database.getClient()),
      { logger, ...options },
    );
    rootLifecycle.addBeforeShutdownHook(() => events.stop(), {
      name: 'stop delivering events',
    });
    return events;
  },
  factory: ({ logger, pluginMetadata, metrics }, events) =>
    events.forPlugin(pluginMetadata.getId(), { logger, metrics }),
});
