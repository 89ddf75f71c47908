import type {
  AuditorService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { InputError, quoteList } from '@plinth/errors';
import {
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@plinth/plugin-catalog-node/alpha';
import type { Request, Router } from 'express';
import type {
  LocationQuery,
  LocationService,
} from '../locations/DefaultLocationService';
import { locationFields } from '../locations/queryLocationRows';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { auditRoute } from './auditRoute';
import { CursorReader, encodeQueryCursor } from './request/cursor';
import { parsePredicate } from './request/parseEntityPredicate';
import { readQueryParams } from './request/queryParams';
import type { QueryLimits } from './request/readQueryLimits';
import {
  describeInput,
  parseLocationInput,
  readJsonBody,
} from './request/requestBody';

const byQueryRoute = 'POST /locations/by-query';
const none = new Set<string>();
/** Backstage's page size for location queries without `limit`. */
const defaultLimit = 1000;
const cursorFix =
  "Pass the 'nextCursor' of an earlier response as it is, or leave 'cursor' out to start over.";

/**
 * Adds the location routes of `@backstage/catalog-client` 1.16:
 * `POST /locations/by-query`, pages of the registered locations that
 * match a predicate over `id`, `type` and `target` (empty for a caller
 * denied `catalog.location.read`, as `GET /locations` is), and
 * `PUT /locations/:id`, which points a location at another target. That
 * replaces what the location provides, so it asks for
 * `catalog.location.create` and `catalog.location.delete` both, and
 * checks the type and target as `POST /locations` does.
 *
 * @internal
 */
export function addLocationQueryRoutes(
  router: Router,
  options: {
    locationService: LocationService;
    limits: QueryLimits;
    auditor: AuditorService;
    httpAuth: HttpAuthService;
    guard: CatalogPermissionGuard;
  },
): void {
  const { locationService, limits, auditor, httpAuth, guard } = options;

  router.post(
    '/locations/by-query',
    auditRoute(
      auditor,
      () => ({ eventId: 'location-fetch', meta: { queryType: 'by-query' } }),
      async (req, res, event) => {
        readQueryParams(req, none, byQueryRoute);
        const { source, ...query } = parseLocationQueryBody(req, limits);
        const allowed = await guard.isAllowed(
          catalogLocationReadPermission,
          await httpAuth.credentials(req),
          event,
        );
        if (!allowed) {
          res.status(200).json({ items: [], totalItems: 0, pageInfo: {} });
          return;
        }
        const page = await locationService.queryLocations(query);
        const last = page.items[page.items.length - 1];
        const nextCursor =
          page.hasMore && last
            ? encodeQueryCursor(
                {
                  limit: query.limit,
                  afterId: last.id,
                  ...(source !== undefined && { query: source }),
                },
                limits,
                byQueryRoute,
              )
            : undefined;
        res.status(200).json({
          items: page.items,
          totalItems: page.totalItems,
          pageInfo: nextCursor ? { nextCursor } : {},
        });
      },
    ),
  );

  router.put(
    '/locations/:id',
    auditRoute(
      auditor,
      req => ({
        eventId: 'location-mutate',
        severityLevel: 'medium',
        meta: { actionType: 'update', id: String(req.params.id) },
      }),
      async (req, res, event) => {
        const route = 'PUT /locations/:id';
        readQueryParams(req, none, route);
        const credentials = await httpAuth.credentials(req);
        await guard.assertAllowed(
          catalogLocationCreatePermission,
          credentials,
          event,
        );
        await guard.assertAllowed(
          catalogLocationDeletePermission,
          credentials,
          event,
        );
        const spec = parseLocationInput(req.body, `the body of ${route}`);
        const location = await locationService.updateLocation(
          String(req.params.id),
          spec,
        );
        res.status(200).json(location);
        return { location: { ...location } };
      },
    ),
  );
}

/**
 * Parses the body of `POST /locations/by-query`: `limit` (default 1000,
 * at most `catalog.pagination.maxLimit`) and a `query` predicate, or a
 * `cursor` from an earlier page, which carries both.
 */
function parseLocationQueryBody(
  req: Request,
  limits: QueryLimits,
): LocationQuery & { source?: unknown } {
  const body = readJsonBody(req, byQueryRoute, ['limit', 'query', 'cursor']);
  if (body.cursor !== undefined) {
    // Silently dropping them would answer a query other than the one asked.
    const extra = Object.keys(body).find(key => key !== 'cursor');
    if (extra !== undefined) {
      throw new InputError(
        `Invalid request body for ${byQueryRoute}: '${extra}' cannot be combined with 'cursor', which carries the whole query, its limit included. Send only 'cursor'.`,
      );
    }
    if (typeof body.cursor !== 'string') {
      throw new InputError(
        `Invalid request body for ${byQueryRoute}: 'cursor' must be a string, got ${describeInput(body.cursor)}. ${cursorFix}`,
      );
    }
    const cursor = CursorReader.decode(
      'cursor',
      body.cursor,
      cursorFix,
      limits,
    );
    return readQuery(
      {
        limit: cursor.optional('limit'),
        query: cursor.optional('query'),
        afterId: cursor.string('afterId'),
      },
      "'cursor' in the body of POST /locations/by-query",
      limits,
    );
  }
  return readQuery(
    { limit: body.limit, query: body.query },
    `the body of ${byQueryRoute}`,
    limits,
  );
}

function readQuery(
  input: { limit: unknown; query: unknown; afterId?: string },
  where: string,
  limits: QueryLimits,
): LocationQuery & { source?: unknown } {
  const { limit = Math.min(defaultLimit, limits.maxLimit), query } = input;
  if (
    !Number.isSafeInteger(limit) ||
    (limit as number) < 1 ||
    (limit as number) > limits.maxLimit
  ) {
    throw new InputError(
      `Invalid ${where}: 'limit' must be a whole number from 1 to ${limits.maxLimit} (set by 'catalog.pagination.maxLimit'), got ${describeInput(limit)}. Ask for fewer and follow 'nextCursor'.`,
    );
  }
  const criteria =
    query === undefined
      ? undefined
      : parsePredicate(query, `'query' in ${where}`, limits, findFieldProblem);
  return {
    limit: limit as number,
    ...(input.afterId !== undefined && { afterId: input.afterId }),
    ...(criteria && { criteria, source: query }),
  };
}

function findFieldProblem(key: string): string | undefined {
  return locationFields.includes(key.toLowerCase())
    ? undefined
    : `a location has no field '${key}'; it has ${quoteList(locationFields, 'and')}`;
}
