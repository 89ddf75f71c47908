import type { Config, LoggerService } from '@plinth/backend-plugin-api';
import express from 'express';
import type { LocationAnalyzer } from '../analysis/LocationAnalyzer';
import type { EntitiesCatalog } from '../entities/EntitiesCatalog';
import type { LocationService } from '../locations/LocationService';
import type { CatalogProcessingOrchestrator } from '../processing/CatalogProcessingOrchestrator';
import type { RefreshService } from '../processing/RefreshService';
import { addEntityRoutes } from './addEntityRoutes';
import { addLocationRoutes } from './addLocationRoutes';
import { addProcessingRoutes } from './addProcessingRoutes';
import { readPaginationConfig } from './readPaginationConfig';

/**
 * What the catalog's REST API is served from.
 *
 * @internal
 */
export interface CatalogRouterOptions {
  entitiesCatalog: EntitiesCatalog;
  locationService: LocationService;
  refreshService: RefreshService;
  orchestrator: CatalogProcessingOrchestrator;
  locationAnalyzer: LocationAnalyzer;
  /** Read once here: `catalog.pagination.defaultLimit` and `maxLimit`. */
  config: Config;
  logger: LoggerService;
}

/**
 * The catalog's REST API, wire-compatible with Backstage's catalog (and so
 * with `@backstage/catalog-client`), for mounting under `/api/catalog`:
 * entities, facets and ancestry; locations; refresh, validation and
 * analysis. Handlers throw typed errors and leave their statuses to the
 * backend's error handler.
 *
 * @throws InputError when `catalog.pagination` is invalid.
 * @internal
 */
export async function createRouter(
  options: CatalogRouterOptions,
): Promise<express.Router> {
  const limits = readPaginationConfig(options.config);
  const router = express.Router();
  addEntityRoutes(router, {
    entitiesCatalog: options.entitiesCatalog,
    limits,
  });
  addLocationRoutes(router, { locationService: options.locationService });
  addProcessingRoutes(router, {
    refreshService: options.refreshService,
    orchestrator: options.orchestrator,
    locationAnalyzer: options.locationAnalyzer,
    locationService: options.locationService,
  });
  return router;
}
