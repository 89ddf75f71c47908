import {
  createJsonBodyParser,
  type AuditorService,
  type HttpAuthService,
  type RootConfigService,
} from '@plinth/backend-plugin-api';
import type { LocationAnalyzer } from '@plinth/plugin-catalog-node';
import express from 'express';
import type { Knex } from 'knex';
import type { EntitiesCatalog } from '../entities/EntitiesCatalog';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import type { LocationService } from '../locations/DefaultLocationService';
import type { CatalogProcessingOrchestrator } from '../processing/CatalogProcessingOrchestrator';
import type { RefreshService } from '../processing/RefreshService';
import { addEntityRoutes } from './addEntityRoutes';
import { addEntityQueryRoutes } from './addEntityQueryRoutes';
import { addLocationRoutes } from './addLocationRoutes';
import { addLocationQueryRoutes } from './addLocationQueryRoutes';
import { addProcessingRoutes } from './addProcessingRoutes';
import { addDiagnosticsRoutes } from './addDiagnosticsRoutes';
import { addValidationRoutes } from './addValidationRoutes';
import { addHistoryRoutes } from './addHistoryRoutes';
import type { EntityHistory } from '../history/EntityHistory';
import { recordChangeActor } from '../history/changeSource';
import type { QueryLimits } from './request/readQueryLimits';
import type { WriteWaiter } from '../readYourWrites/WriteWaiter';
import { addWriteStatusRoutes } from '../readYourWrites/addWriteStatusRoutes';

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
  /** The caller's credentials, for permission checks and the location analyzer. */
  httpAuth: HttpAuthService;
  /** Decides the catalog's permissions for each request. */
  guard: CatalogPermissionGuard;
  /** Page sizes and caps, from `catalog.pagination` and `catalog.queryLimits`. */
  limits: QueryLimits;
  /** The root config, for the JSON body limits of `backend.http`. */
  config: RootConfigService;
  /** Where each route's audit event goes. */
  auditor: AuditorService;
  /** The catalog's database, which the diagnostics routes read. */
  knex: Knex;
  /** Follows writes for `?wait=` and the write status routes. */
  waiter: WriteWaiter;
  /** The history and change feed; without it, no history routes. */
  history?: EntityHistory;
}

/**
 * The catalog's REST API, wire-compatible with Backstage's catalog (and so
 * with `@backstage/catalog-client`), for mounting under `/api/catalog`:
 * entities, facets and ancestry; locations; refresh, validation and
 * analysis. Handlers throw typed errors and leave their statuses to the
 * backend's error handler. The router parses its own JSON bodies, as
 * Backstage's platform parses none: every catalog route needs credentials,
 * so the platform's credentials check runs before any body is read.
 *
 * @internal
 */
export function createRouter(options: CatalogRouterOptions): express.Router {
  const { limits, auditor, httpAuth, guard, entitiesCatalog } = options;
  const router = express.Router();
  router.use(createJsonBodyParser({ config: options.config }));
  router.use(recordChangeActor(httpAuth));
  if (options.history) {
    addHistoryRoutes(router, { history: options.history, httpAuth, auditor });
  }
  addEntityRoutes(router, {
    entitiesCatalog,
    limits,
    auditor,
    httpAuth,
    guard,
  });
  addEntityQueryRoutes(router, {
    entitiesCatalog,
    limits,
    auditor,
    httpAuth,
    guard,
  });
  const readYourWrites = {
    waiter: options.waiter,
    entitiesCatalog,
    guard,
    httpAuth,
  };
  addLocationRoutes(router, {
    locationService: options.locationService,
    auditor,
    httpAuth,
    guard,
    entitiesCatalog,
    readYourWrites,
  });
  addLocationQueryRoutes(router, {
    locationService: options.locationService,
    limits,
    auditor,
    httpAuth,
    guard,
  });
  addProcessingRoutes(router, {
    refreshService: options.refreshService,
    orchestrator: options.orchestrator,
    locationAnalyzer: options.locationAnalyzer,
    locationService: options.locationService,
    httpAuth,
    auditor,
    guard,
    entitiesCatalog,
    readYourWrites,
  });
  addWriteStatusRoutes(router, {
    ...readYourWrites,
    locationService: options.locationService,
    auditor,
  });
  addDiagnosticsRoutes(router, {
    knex: options.knex,
    config: options.config,
    httpAuth,
    auditor,
    guard,
    limits,
  });
  addValidationRoutes(router, {
    orchestrator: options.orchestrator,
    entitiesCatalog,
    httpAuth,
    auditor,
    guard,
    limits,
    config: options.config,
  });
  return router;
}
