import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@plinth/backend-plugin-api/alpha';
import {
  catalogServiceRef,
  catalogAnalysisExtensionPoint,
  catalogLocationsExtensionPoint,
  catalogModelExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@plinth/plugin-catalog-node';
import { catalogPermissionExtensionPoint } from '@plinth/plugin-catalog-node/alpha';
import { eventsServiceRef } from '@plinth/plugin-events-node';
import { createCatalogActions } from './actions/createCatalogActions';
import { applyDatabaseMigrations } from './database/applyDatabaseMigrations';
import { CatalogExtensions } from './wiring/CatalogExtensions';
import { createCatalog } from './wiring/createCatalog';

/**
 * The software catalog: reads entities from locations and entity
 * providers, processes and stitches them, and serves them under
 * `/api/catalog` with Backstage's REST API. Modules extend it through
 * `catalog.processing`, `catalog.analysis`, `catalog.model` and
 * `catalog.locations` from `@plinth/plugin-catalog-node`, and
 * `catalog.permission` from its `/alpha` entry. Every route asks the
 * permissions service, and conditional read decisions become part of the
 * SQL of every read.
 *
 * @example
 * ```ts
 * const backend = createBackend();
 * backend.add(import('@plinth/plugin-catalog-backend'));
 * await backend.start();
 * ```
 * @public
 */
export const catalogPlugin = createBackendPlugin({
  pluginId: 'catalog',
  register(env) {
    const extensions = new CatalogExtensions();
    env.registerExtensionPoint(
      catalogProcessingExtensionPoint,
      extensions.processing,
    );
    env.registerExtensionPoint(
      catalogAnalysisExtensionPoint,
      extensions.analysis,
    );
    env.registerExtensionPoint(catalogModelExtensionPoint, extensions.model);
    env.registerExtensionPoint(
      catalogLocationsExtensionPoint,
      extensions.locations,
    );
    env.registerExtensionPoint(
      catalogPermissionExtensionPoint,
      extensions.permission,
    );

    env.registerInit({
      deps: {
        actionsRegistry: actionsRegistryServiceRef,
        auditor: coreServices.auditor,
        catalogClient: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        events: eventsServiceRef,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        metrics: metricsServiceRef,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        reader: coreServices.urlReader,
        rootLifecycle: coreServices.rootLifecycle,
      },
      async init({
        actionsRegistry,
        auditor,
        catalogClient,
        config,
        database,
        events,
        httpAuth,
        httpRouter,
        lifecycle,
        logger,
        metrics,
        permissions,
        permissionsRegistry,
        reader,
        rootLifecycle,
      }) {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        // Tells model sources still being read that the backend stops.
        const shutdown = new AbortController();
        lifecycle.addShutdownHook(() => shutdown.abort());
        const catalog = await createCatalog({
          knex,
          config,
          logger,
          reader,
          httpAuth,
          auditor,
          events,
          metrics,
          extensions,
          permissions,
          permissionsRegistry,
          signal: shutdown.signal,
        });
        httpRouter.use(catalog.router);
        // Actions go through the REST API with the caller's credentials,
        // so they follow the same rules as HTTP callers.
        createCatalogActions({ actionsRegistry, catalog: catalogClient });
        lifecycle.addStartupHook(() => catalog.start());
        lifecycle.addShutdownHook(() => catalog.stop());
        // With the HTTP server's drain, not after it: open change streams
        // would hold the drain for its whole timeout.
        rootLifecycle.addBeforeShutdownHook(() => catalog.endStreams(), {
          name: 'end the catalog change streams and long polls',
        });
      },
    });
  },
});
