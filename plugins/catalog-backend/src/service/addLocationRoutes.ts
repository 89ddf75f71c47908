import type { AuditorService } from '@plinth/backend-plugin-api';
import { InputError, type JsonObject } from '@plinth/errors';
import type { Request, Router } from 'express';
import { auditRoute } from './auditRoute';
import type { LocationService } from '../locations/DefaultLocationService';
import { parseLocationInput } from './request/requestBody';
import { readQueryParams, readStringParam } from './request/queryParams';

const none = new Set<string>();
const createParams = new Set(['dryRun', 'onConflict']);

/**
 * Adds the location routes: register (or dry-run) a location, list them,
 * get or delete one by id, and find the one an entity came from.
 *
 * @internal
 */
export function addLocationRoutes(
  router: Router,
  options: { locationService: LocationService; auditor: AuditorService },
): void {
  const { locationService, auditor } = options;
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
      async (req, res) => {
        const query = readQueryParams(req, createParams, 'POST /locations');
        const dryRun = parseDryRun(readStringParam(query, 'dryRun'));
        parseOnConflict(readStringParam(query, 'onConflict'));
        const spec = parseLocationInput(
          req.body,
          'the body of POST /locations',
        );
        const output = await locationService.createLocation(spec, dryRun);
        res.status(201).json(output);
        return { location: { ...output.location } };
      },
    ),
  );

  router.get(
    '/locations',
    auditRoute(
      auditor,
      () => fetch({ queryType: 'all' }),
      async (req, res) => {
        readQueryParams(req, none, 'GET /locations');
        const locations = await locationService.listLocations();
        res.status(200).json(locations.map(location => ({ data: location })));
      },
    ),
  );

  router.get(
    '/locations/:id',
    auditRoute(
      auditor,
      req => fetch({ queryType: 'by-id', id: String(req.params.id) }),
      async (req, res) => {
        readQueryParams(req, none, 'GET /locations/:id');
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
      async (req, res) => {
        readQueryParams(req, none, 'DELETE /locations/:id');
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
      async (req, res) => {
        readQueryParams(
          req,
          none,
          'GET /locations/by-entity/:kind/:namespace/:name',
        );
        const output = await locationService.getLocationByEntity({
          kind: String(req.params.kind),
          namespace: String(req.params.namespace),
          name: String(req.params.name),
        });
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
