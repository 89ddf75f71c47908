import type {
  AuditorService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { stringifyEntityRef } from '@plinth/catalog-model';
import { InputError, NotFoundError, type JsonObject } from '@plinth/errors';
import {
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@plinth/plugin-catalog-node/alpha';
import type { Request, Router } from 'express';
import type { EntitiesCatalog } from '../entities/EntitiesCatalog';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { auditRoute } from './auditRoute';
import type { LocationService } from '../locations/DefaultLocationService';
import { parseLocationInput } from './request/requestBody';
import { readQueryParams, readStringParam } from './request/queryParams';
import { parseWaitParam } from './request/parseWaitParam';
import {
  waitAfterWrite,
  type ReadYourWritesContext,
} from '../readYourWrites/waitAfterWrite';
import { toLocationEntityRef } from '../locations/locationSpecToLocationEntity';

const none = new Set<string>();
const createParams = new Set(['dryRun', 'onConflict', 'wait']);

/**
 * Adds the location routes: register (or dry-run) a location, list them,
 * get or delete one by id, and find the one an entity came from. They
 * check the `catalog.location.*` permissions as Backstage does: a caller
 * denied `catalog.location.read` gets an empty list, and a 403 for a
 * single location; the location of an entity also needs the entity to be
 * readable, so it answers 404 as the entity routes do.
 *
 * @internal
 */
export function addLocationRoutes(
  router: Router,
  options: {
    locationService: LocationService;
    auditor: AuditorService;
    httpAuth: HttpAuthService;
    guard: CatalogPermissionGuard;
    entitiesCatalog: EntitiesCatalog;
    readYourWrites: ReadYourWritesContext;
  },
): void {
  const { locationService, auditor, httpAuth, guard, readYourWrites } = options;
  const fetch = (meta: JsonObject) => ({ eventId: 'location-fetch', meta });

  router.post(
    '/locations',
    auditRoute(
      auditor,
      req => {
        const isDryRun = isDryRunRequest(req);
        return {
          eventId: 'location-mutate',
          severityLevel: isDryRun ? 'low' : 'medium',
          meta: {
            actionType: 'create',
            location: describeLocationBody(req.body),
            isDryRun,
          },
        };
      },
      async (req, res, event) => {
        await guard.assertAllowed(
          catalogLocationCreatePermission,
          await httpAuth.credentials(req),
          event,
        );
        const query = readQueryParams(req, createParams, 'POST /locations');
        const dryRun = parseDryRun(readStringParam(query, 'dryRun'));
        parseOnConflict(readStringParam(query, 'onConflict'));
        const waitMs = parseWaitParam(
          readStringParam(query, 'wait'),
          readYourWrites.waiter.maxWaitMs,
        );
        if (waitMs !== undefined && dryRun) {
          throw new InputError(
            `Invalid query parameters for POST /locations: 'wait' cannot be combined with 'dryRun', which writes nothing to wait for. Leave one of them out.`,
          );
        }
        const spec = parseLocationInput(
          req.body,
          'the body of POST /locations',
        );
        if (waitMs === undefined) {
          const output = await locationService.createLocation(spec, dryRun);
          res.status(201).json(output);
          return { location: { ...output.location } };
        }
        let location: JsonObject = {};
        await waitAfterWrite(req, res, readYourWrites, {
          waitMs,
          write: async () => {
            const output = await locationService.createLocation(spec, false);
            location = { ...output.location };
            return {
              body: { location, entities: [] },
              status: 201,
              affected: { treeRefs: [toLocationEntityRef(output.location)] },
              statusPath: `/locations/${encodeURIComponent(output.location.id)}/status`,
            };
          },
        });
        return { location };
      },
    ),
  );

  router.get(
    '/locations',
    auditRoute(
      auditor,
      () => fetch({ queryType: 'all' }),
      async (req, res, event) => {
        readQueryParams(req, none, 'GET /locations');
        const allowed = await guard.isAllowed(
          catalogLocationReadPermission,
          await httpAuth.credentials(req),
          event,
        );
        const locations = allowed ? await locationService.listLocations() : [];
        res.status(200).json(locations.map(location => ({ data: location })));
      },
    ),
  );

  router.get(
    '/locations/:id',
    auditRoute(
      auditor,
      req => fetch({ queryType: 'by-id', id: String(req.params.id) }),
      async (req, res, event) => {
        readQueryParams(req, none, 'GET /locations/:id');
        await guard.assertAllowed(
          catalogLocationReadPermission,
          await httpAuth.credentials(req),
          event,
        );
        const output = await locationService.getLocation(String(req.params.id));
        res.status(200).json(output);
        return { output: { ...output } };
      },
    ),
  );

  router.delete(
    '/locations/:id',
    auditRoute(
      auditor,
      req => ({
        eventId: 'location-mutate',
        severityLevel: 'medium',
        meta: { actionType: 'delete', id: String(req.params.id) },
      }),
      async (req, res, event) => {
        readQueryParams(req, none, 'DELETE /locations/:id');
        await guard.assertAllowed(
          catalogLocationDeletePermission,
          await httpAuth.credentials(req),
          event,
        );
        await locationService.deleteLocation(String(req.params.id));
        res.status(204).end();
      },
    ),
  );

  router.get(
    '/locations/by-entity/:kind/:namespace/:name',
    auditRoute(
      auditor,
      req =>
        fetch({
          queryType: 'by-entity',
          locationRef: `${String(req.params.kind)}:${String(req.params.namespace)}/${String(req.params.name)}`,
        }),
      async (req, res, event) => {
        readQueryParams(
          req,
          none,
          'GET /locations/by-entity/:kind/:namespace/:name',
        );
        const credentials = await httpAuth.credentials(req);
        await guard.assertAllowed(
          catalogLocationReadPermission,
          credentials,
          event,
        );
        const entityName = {
          kind: String(req.params.kind),
          namespace: String(req.params.namespace),
          name: String(req.params.name),
        };
        const readFilter = await guard.entityFilter(
          catalogEntityReadPermission,
          credentials,
        );
        if (
          readFilter &&
          (await options.entitiesCatalog.getEntityByRef(
            stringifyEntityRef(entityName),
            readFilter,
          )) === undefined
        ) {
          throw new NotFoundError(
            `No entity '${stringifyEntityRef(entityName)}' exists in the catalog. Check the kind, namespace and name.`,
          );
        }
        const output = await locationService.getLocationByEntity(entityName);
        res.status(200).json(output);
        return { output: { ...output } };
      },
    ),
  );
}

/** Whether the request asks for a dry run; a malformed value is refused later. */
function isDryRunRequest(req: Request): boolean {
  const value = req.query.dryRun;
  return value === 'true' || value === '1';
}

/**
 * The `type` and `target` of a location body as sent, for the audit event
 * that starts before the body is checked.
 */
function describeLocationBody(body: unknown): JsonObject {
  const { type, target } = (body ?? {}) as Record<string, unknown>;
  return {
    ...(typeof type === 'string' && { type }),
    ...(typeof target === 'string' && { target }),
  };
}

function parseDryRun(value: string | undefined): boolean {
  if (value === undefined || value === 'false' || value === '0') {
    return false;
  }
  if (value === 'true' || value === '1') {
    return true;
  }
  throw new InputError(
    `Invalid query parameter 'dryRun': expected 'true' or 'false', got '${value}'.`,
  );
}

/**
 * Only `reject`, the default, is supported: a location that exists
 * already is refused with a conflict.
 */
function parseOnConflict(value: string | undefined): void {
  if (value !== undefined && value !== 'reject') {
    throw new InputError(
      `Invalid query parameter 'onConflict': only 'reject' is supported, got '${value}'. To refresh a registered location, send its entity ref to POST /refresh.`,
    );
  }
}
