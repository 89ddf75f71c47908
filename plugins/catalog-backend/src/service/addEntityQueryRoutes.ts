import type {
  AuditorService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { catalogEntityReadPermission } from '@plinth/plugin-catalog-node/alpha';
import type { Request, Response, Router } from 'express';
import type {
  EntitiesCatalog,
  QueryEntitiesRequest,
  QueryEntitiesResponse,
} from '../entities/EntitiesCatalog';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { auditRoute, type RouteAuditEvent } from './auditRoute';
import {
  type EntityJsonParts,
  fitsOneWrite,
  type JsonText,
  toJsonText,
  writeEntityJson,
  writeJsonText,
} from './entityResponses';
import { encodeQueryCursor } from './request/cursor';
import {
  parseEntityFacetsBody,
  parseQueryEntitiesBody,
} from './request/parsePredicateBodies';
import {
  parseQueryEntitiesParams,
  type EntityPredicateQuery,
} from './request/parseQueryEntitiesParams';
import { narrowFilter } from './request/parseEntityPredicate';
import { readQueryParams } from './request/queryParams';
import { ParsedUrlMemo } from './request/ParsedUrlMemo';
import type { QueryLimits } from './request/readQueryLimits';

const known = {
  query: new Set([
    'filter',
    'fields',
    'limit',
    'offset',
    'orderField',
    'cursor',
    'totalItems',
    'fullTextFilterTerm',
    'fullTextFilterFields',
  ]),
  none: new Set<string>(),
};

/**
 * Adds the entity queries: `GET /entities/by-query` with filter
 * parameters, and the predicate routes of `@backstage/catalog-client`
 * 1.16, `POST /entities/by-query` and `POST /entity-facets`, whose `query`
 * predicate is ANDed into the caller's permission filter. Both are one
 * criteria tree over the search index, so a predicate costs what a
 * permission condition costs, totals and facet counts cover only what the
 * caller may read and matches, and the caps of `catalog.queryLimits`
 * bound both. A predicate rides in the cursors of its later pages, which
 * either by-query route accepts.
 *
 * @internal
 */
export function addEntityQueryRoutes(
  router: Router,
  options: {
    entitiesCatalog: EntitiesCatalog;
    limits: QueryLimits;
    auditor: AuditorService;
    httpAuth: HttpAuthService;
    guard: CatalogPermissionGuard;
  },
): void {
  const {
    entitiesCatalog: catalog,
    limits,
    auditor,
    httpAuth,
    guard,
  } = options;
  const readFilter = async (
    req: Request,
    event: RouteAuditEvent,
    predicate?: EntityPredicateQuery,
  ) =>
    narrowFilter(
      await guard.entityFilter(
        catalogEntityReadPermission,
        await httpAuth.credentials(req),
        event,
      ),
      predicate?.criteria,
    );
  const fetchEvent = () => ({
    eventId: 'entity-fetch',
    meta: { queryType: 'by-query' },
  });

  // A cached page is the same object for every reader it is served to, so
  // its body is built, measured and checked for secrets once. The cursors
  // in it carry the predicate as sent, so the body is reused only for the
  // same predicate text.
  const queryBodies = new WeakMap<
    QueryEntitiesResponse,
    { predicate: string; parts: EntityJsonParts; body?: JsonText }
  >();

  const answerQuery = async (
    req: Request,
    res: Response,
    event: RouteAuditEvent,
    parsed: { request: QueryEntitiesRequest; predicate?: EntityPredicateQuery },
    route: string,
  ) => {
    const { request, predicate } = parsed;
    const permissionFilter = await readFilter(req, event, predicate);
    const page = await catalog.queryEntities({
      ...request,
      ...(permissionFilter && { permissionFilter }),
    });
    const predicateText = predicate ? JSON.stringify(predicate.source) : '';
    let cached = queryBodies.get(page);
    if (cached?.predicate !== predicateText) {
      const parts = toQueryParts(page, predicate, limits, route);
      cached = {
        predicate: predicateText,
        parts,
        ...(fitsOneWrite(parts.entities) && {
          body: toJsonText(
            `${parts.prefix}${parts.entities.join(',')}${parts.suffix}`,
          ),
        }),
      };
      queryBodies.set(page, cached);
    }
    if (cached.body) {
      writeJsonText(res, 200, cached.body);
    } else {
      await writeEntityJson(res, 200, cached.parts);
    }
  };

  const getRoute = 'GET /entities/by-query';
  const parsedGets = new ParsedUrlMemo(req =>
    parseQueryEntitiesParams(
      readQueryParams(req, known.query, getRoute),
      limits,
    ),
  );
  router.get(
    '/entities/by-query',
    auditRoute(auditor, fetchEvent, async (req, res, event) => {
      await answerQuery(req, res, event, parsedGets.get(req), getRoute);
    }),
  );

  router.post(
    '/entities/by-query',
    auditRoute(auditor, fetchEvent, async (req, res, event) => {
      const route = 'POST /entities/by-query';
      readQueryParams(req, known.none, route);
      const parsed = parseQueryEntitiesBody(req, limits);
      await answerQuery(req, res, event, parsed, route);
    }),
  );

  router.post(
    '/entity-facets',
    auditRoute(
      auditor,
      () => ({ eventId: 'entity-facets' }),
      async (req, res, event) => {
        readQueryParams(req, known.none, 'POST /entity-facets');
        const { facets, predicate } = parseEntityFacetsBody(req, limits);
        const permissionFilter = await readFilter(req, event, predicate);
        res.status(200).json(
          await catalog.getEntityFacets({
            facets,
            ...(permissionFilter && { permissionFilter }),
          }),
        );
      },
    ),
  );
}

/** The body of a by-query page: its items spliced in as they are stored. */
function toQueryParts(
  page: QueryEntitiesResponse,
  predicate: EntityPredicateQuery | undefined,
  limits: QueryLimits,
  route: string,
): EntityJsonParts {
  // The predicate is the client's, so it travels in the cursor as sent
  // and is checked again, like the rest of the cursor, when it returns.
  const withQuery = (cursor: object) =>
    encodeQueryCursor(
      predicate ? { ...cursor, query: predicate.source } : cursor,
      limits,
      route,
    );
  const pageInfo: { nextCursor?: string; prevCursor?: string } = {};
  if (page.nextCursor) {
    pageInfo.nextCursor = withQuery(page.nextCursor);
  }
  if (page.prevCursor) {
    pageInfo.prevCursor = withQuery(page.prevCursor);
  }
  return {
    prefix: '{"items":[',
    entities: page.items,
    suffix: `],"totalItems":${page.totalItems},"pageInfo":${JSON.stringify(pageInfo)}}`,
  };
}
