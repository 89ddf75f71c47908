import { InputError } from '@plinth/errors';
import type { Router } from 'express';
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
  options: { locationService: LocationService },
): void {
  const { locationService } = options;

  router.post('/locations', async (req, res) => {
    const query = readQueryParams(req, createParams, 'POST /locations');
    const dryRun = parseDryRun(readStringParam(query, 'dryRun'));
    parseOnConflict(readStringParam(query, 'onConflict'));
    const spec = parseLocationInput(req.body, 'the body of POST /locations');
    const output = await locationService.createLocation(spec, dryRun);
    res.status(201).json(output);
  });

  router.get('/locations', async (req, res) => {
    readQueryParams(req, none, 'GET /locations');
    const locations = await locationService.listLocations();
    res.status(200).json(locations.map(location => ({ data: location })));
  });

  router.get('/locations/:id', async (req, res) => {
    readQueryParams(req, none, 'GET /locations/:id');
    res.status(200).json(await locationService.getLocation(req.params.id));
  });

  router.delete('/locations/:id', async (req, res) => {
    readQueryParams(req, none, 'DELETE /locations/:id');
    await locationService.deleteLocation(req.params.id);
    res.status(204).end();
  });

  router.get(
    '/locations/by-entity/:kind/:namespace/:name',
    async (req, res) => {
      readQueryParams(
        req,
        none,
        'GET /locations/by-entity/:kind/:namespace/:name',
      );
      const { kind, namespace, name } = req.params;
      res
        .status(200)
        .json(
          await locationService.getLocationByEntity({ kind, namespace, name }),
        );
    },
  );
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
