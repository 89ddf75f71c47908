import type {
  AuditorService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { parseEntityRef } from '@plinth/catalog-model';
import { InputError, NotFoundError } from '@plinth/errors';
import {
  catalogEntityReadPermission,
  catalogLocationReadPermission,
} from '@plinth/plugin-catalog-node/alpha';
import type { Router } from 'express';
import type { EntitiesCatalog } from '../entities/EntitiesCatalog';
import type { LocationService } from '../locations/DefaultLocationService';
import { toLocationEntityRef } from '../locations/locationSpecToLocationEntity';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { auditRoute } from '../service/auditRoute';
import {
  readQueryParams,
  readStringParam,
} from '../service/request/queryParams';
import { toLowerEntityRef } from '../shared/toLowerEntityRef';
import { describeWriteProgress } from './describeWriteProgress';
import type { WriteWaiter } from './WriteWaiter';

const none = new Set<string>();
const refreshStatusParams = new Set(['entityRef']);

/**
 * Adds the status routes that a `202` of `?wait=` links to, which anyone
 * may also poll: `GET /locations/:id/status`, the progress of the
 * location's entity and of everything read through it, and
 * `GET /refresh/status?entityRef=`, the progress of what a refresh of the
 * entity processes again (the entity, what it emits, and the Location
 * entities it was read through). They report the entities as they stand
 * now, `pending` until processed and stitched.
 *
 * @remarks
 * Permissions are those of the reads: the location status needs
 * `catalog.location.read`, as `GET /locations/:id` does, and the refresh
 * status answers 404 for an entity the caller may not read, as the entity
 * routes do. Either names only the entities the caller may read (see
 * `describeWriteProgress`).
 *
 * @internal
 */
export function addWriteStatusRoutes(
  router: Router,
  options: {
    waiter: WriteWaiter;
    locationService: LocationService;
    entitiesCatalog: EntitiesCatalog;
    guard: CatalogPermissionGuard;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
  },
): void {
  const { waiter, locationService, entitiesCatalog, guard, httpAuth } = options;

  router.get(
    '/locations/:id/status',
    auditRoute(
      options.auditor,
      req => ({
        eventId: 'location-fetch',
        meta: { queryType: 'status', id: String(req.params.id) },
      }),
      async (req, res, event) => {
        readQueryParams(req, none, 'GET /locations/:id/status');
        const credentials = await httpAuth.credentials(req);
        await guard.assertAllowed(
          catalogLocationReadPermission,
          credentials,
          event,
        );
        const location = await locationService.getLocation(
          String(req.params.id),
        );
        const progress = await waiter.readProgress({
          treeRefs: [toLocationEntityRef(location)],
        });
        const { report } = await describeWriteProgress(progress, {
          entitiesCatalog,
          readFilter: await guard.entityFilter(
            catalogEntityReadPermission,
            credentials,
          ),
        });
        res.status(200).json({ location, ...report });
      },
    ),
  );

  router.get(
    '/refresh/status',
    auditRoute(
      options.auditor,
      req => ({
        eventId: 'entity-fetch',
        meta: {
          queryType: 'refresh-status',
          ...(typeof req.query.entityRef === 'string' && {
            entityRef: req.query.entityRef,
          }),
        },
      }),
      async (req, res, event) => {
        const route = 'GET /refresh/status';
        const query = readQueryParams(req, refreshStatusParams, route);
        const given = readStringParam(query, 'entityRef');
        if (given === undefined) {
          throw new InputError(
            `Missing query parameter 'entityRef' for ${route}; give the ref of the refreshed entity, such as 'component:default/petstore'.`,
          );
        }
        const entityRef = toLowerEntityRef(parseEntityRef(given));
        const readFilter = await guard.entityFilter(
          catalogEntityReadPermission,
          await httpAuth.credentials(req),
          event,
        );
        const notFound = new NotFoundError(
          `No entity '${entityRef}' exists in the catalog. Check the kind, namespace and name.`,
        );
        if (
          readFilter &&
          (await entitiesCatalog.getEntityByRef(entityRef, readFilter)) ===
            undefined
        ) {
          throw notFound;
        }
        const progress = await waiter.readProgress(
          await waiter.affectedByRefresh(entityRef),
        );
        if (progress.gone.includes(entityRef)) {
          throw notFound;
        }
        const { report } = await describeWriteProgress(progress, {
          entitiesCatalog,
          readFilter,
        });
        res.status(200).json({ entityRef, ...report });
      },
    ),
  );
}
