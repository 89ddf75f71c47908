import type {
  AuditorService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@plinth/catalog-model';
import { InputError, NotFoundError, type JsonObject } from '@plinth/errors';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@plinth/plugin-catalog-node/alpha';
import type { Request, Router } from 'express';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { createPermissionDeniedError } from '../permissions/createPermissionDeniedError';
import { auditRoute, type RouteAuditEvent } from './auditRoute';
import type {
  EntitiesCatalog,
  EntityPosition,
  ListEntitiesRequest,
} from '../entities/EntitiesCatalog';
import { encodeAfterCursor } from './request/cursor';
import {
  streamEntityArray,
  writeEntityJson,
  writeJsonText,
} from './entityResponses';
import { parseEntitiesByRefsBody } from './request/requestBody';
import {
  parseEntityFacetParams,
  parseEntityFieldsParams,
  parseEntityOrderParams,
} from './request/parseFieldPathParams';
import { parseEntityFilterParams } from './request/parseEntityFilterParams';
import { parseEntityPaginationParams } from './request/parseEntityPaginationParams';
import {
  narrowFilter,
  parseEntityPredicate,
} from './request/parseEntityPredicate';
import type { QueryLimits } from './request/readQueryLimits';
import { readQueryParams } from './request/queryParams';

/**
 * The longest `Link` header sent: Node's HTTP client, like many, refuses
 * responses whose headers pass 16 KiB together.
 */
const maxLinkLength = 4096;

/**
 * The characters of an unpaged listing whose batches the answer cache may
 * keep: an eighth of its default budget, so that a listing asked for
 * again and again, such as every service's name, is read from memory,
 * while one of the whole catalog streams past the cache.
 */
const maxCachedListingChars = 1024 * 1024;

const known = {
  list: new Set(['filter', 'fields', 'order', 'limit', 'offset', 'after']),
  byRefs: new Set(['filter', 'fields']),
  facets: new Set(['facet', 'filter']),
  none: new Set<string>(),
};

/**
 * Adds the entity routes: listing (every match, streamed, without
 * `limit`), lookups by refs, uid and name, ancestry, facets, and removal
 * by uid; the queries are `addEntityQueryRoutes`'. Stored entity JSON is
 * spliced into responses as it is. Every read asks for
 * `catalog.entity.read` and passes the resulting filter into its SQL, so
 * an entity hidden from the caller is hidden from all of them alike:
 * left out of lists, totals and facet counts, `null` in by-refs, 404 by
 * uid, name and ancestry.
 *
 * @internal
 */
export function addEntityRoutes(
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
  const readFilter = async (req: Request, event: RouteAuditEvent) =>
    guard.entityFilter(
      catalogEntityReadPermission,
      await httpAuth.credentials(req),
      event,
    );
  const fetch = (meta: JsonObject) => ({ eventId: 'entity-fetch', meta });

  router.get(
    '/entities',
    auditRoute(
      auditor,
      req => fetch({ queryType: 'all', query: req.query }),
      async (req, res, event) => {
        const query = readQueryParams(req, known.list, 'GET /entities');
        const order = parseEntityOrderParams(query, limits) ?? [];
        const pagination = parseEntityPaginationParams(query, {
          order,
          limits,
        });
        const filter = parseEntityFilterParams(query, limits);
        const fields = parseEntityFieldsParams(query, limits);
        const permissionFilter = await readFilter(req, event);
        const request = {
          order,
          ...(filter && { filter }),
          ...(fields && { fields }),
          ...(permissionFilter && { permissionFilter }),
        };
        const { limit, ...start } = pagination;
        if (limit === undefined) {
          if (limits.maxUnpagedEntities !== undefined) {
            await assertWithinUnpagedCap(catalog, request, start, limits);
          }
          // The same listing asked again reads the same batches, so
          // they are worth the answer cache, but only up to a budget:
          // past it, a huge listing would push out everything else.
          let readChars = 0;
          await streamEntityArray(res, async after => {
            const batch = await catalog.listEntities({
              ...request,
              ...(after ? { after } : start),
              limit: limits.streamBatchSize,
              ...(readChars > maxCachedListingChars && { cache: false }),
            });
            for (const entity of batch.entities) {
              readChars += entity.length;
            }
            return batch;
          });
          return;
        }
        const page = await catalog.listEntities({
          ...request,
          ...pagination,
          limit,
        });
        if (page.endPosition) {
          const next = new URL(req.originalUrl, 'http://localhost');
          next.searchParams.delete('offset');
          next.searchParams.set(
            'after',
            encodeAfterCursor(order, page.endPosition),
          );
          const link = `<${next.pathname}${next.search}>; rel="next"`;
          if (link.length > maxLinkLength) {
            throw new InputError(
              `Invalid query for GET /entities: the link to its next page would be ${link.length} characters long, more than the ${maxLinkLength} that HTTP clients are sure to accept in a header. Shorten the filters, order by fewer fields, or use GET /entities/by-query, whose cursors carry the query.`,
            );
          }
          res.setHeader('Link', link);
        }
        await writeEntityJson(res, 200, {
          prefix: '[',
          entities: page.entities,
          suffix: ']',
        });
      },
    ),
  );

  router.post(
    '/entities/by-refs',
    auditRoute(
      auditor,
      () => fetch({ queryType: 'by-refs' }),
      async (req, res, event) => {
        const query = readQueryParams(
          req,
          known.byRefs,
          'POST /entities/by-refs',
        );
        const body = parseEntitiesByRefsBody(req, limits);
        const filter = parseEntityFilterParams(query, limits);
        const fields = parseEntityFieldsParams(query, limits, body.fields);
        const predicate =
          body.query === undefined
            ? undefined
            : parseEntityPredicate(
                body.query,
                "'query' in the body of POST /entities/by-refs",
                limits,
              );
        const permissionFilter = narrowFilter(
          await readFilter(req, event),
          predicate,
        );
        const items = await catalog.getEntitiesByRefs({
          entityRefs: body.entityRefs,
          ...(filter && { filter }),
          ...(fields && { fields }),
          ...(permissionFilter && { permissionFilter }),
        });
        writeJsonText(
          res,
          200,
          `{"items":[${items.map(item => item ?? 'null').join(',')}]}`,
        );
        return {
          entityRefs: body.entityRefs,
          ...(body.fields && { fields: body.fields }),
        };
      },
    ),
  );

  router.get(
    '/entities/by-uid/:uid',
    auditRoute(
      auditor,
      req => fetch({ queryType: 'by-uid', uid: String(req.params.uid) }),
      async (req, res, event) => {
        readQueryParams(req, known.none, 'GET /entities/by-uid/:uid');
        const uid = String(req.params.uid);
        const entity = await catalog.getEntityByUid(
          uid,
          await readFilter(req, event),
        );
        if (entity === undefined) {
          throw new NotFoundError(
            `No entity with uid '${uid}' found. Uids change when an entity is deleted and created again; look it up by name instead.`,
          );
        }
        writeJsonText(res, 200, entity);
        return { entities: [stringifyEntityRef(JSON.parse(entity) as Entity)] };
      },
    ),
  );

  router.delete(
    '/entities/by-uid/:uid',
    auditRoute(
      auditor,
      req => ({
        eventId: 'entity-mutate',
        severityLevel: 'medium',
        meta: { actionType: 'delete', uid: String(req.params.uid) },
      }),
      async (req, res, event) => {
        readQueryParams(req, known.none, 'DELETE /entities/by-uid/:uid');
        const uid = String(req.params.uid);
        const credentials = await httpAuth.credentials(req);
        const deleteFilter = await guard.entityFilterOrThrow(
          catalogEntityDeletePermission,
          credentials,
          event,
        );
        // Under conditions, the entity must exist and meet them, as in
        // Backstage: an unknown uid is refused too, so it reveals nothing.
        if (
          deleteFilter &&
          (await catalog.getEntityByUid(uid, deleteFilter)) === undefined
        ) {
          throw createPermissionDeniedError({
            permission: catalogEntityDeletePermission,
            credentials,
            target: `the entity with uid '${uid}'`,
          });
        }
        await catalog.removeEntityByUid(uid);
        res.status(204).end();
      },
    ),
  );

  router.get(
    '/entities/by-name/:kind/:namespace/:name',
    auditRoute(
      auditor,
      req => fetch({ queryType: 'by-name', entityRef: toRef(req.params) }),
      async (req, res, event) => {
        readQueryParams(
          req,
          known.none,
          'GET /entities/by-name/:kind/:namespace/:name',
        );
        const { kind, namespace, name } = toNameParams(req.params);
        const entity = await catalog.getEntityByRef(
          `${kind}:${namespace}/${name}`,
          await readFilter(req, event),
        );
        if (entity === undefined) {
          throw new NotFoundError(
            `No entity named '${name}' found, with kind '${kind}' in namespace '${namespace}'.`,
          );
        }
        writeJsonText(res, 200, entity);
      },
    ),
  );

  router.get(
    '/entities/by-name/:kind/:namespace/:name/ancestry',
    auditRoute(
      auditor,
      req => fetch({ actionType: 'ancestry', entityRef: toRef(req.params) }),
      async (req, res, event) => {
        readQueryParams(
          req,
          known.none,
          'GET /entities/by-name/:kind/:namespace/:name/ancestry',
        );
        const { kind, namespace, name } = toNameParams(req.params);
        const ancestry = await catalog.getEntityAncestry(
          `${kind}:${namespace}/${name}`.toLowerCase(),
          await readFilter(req, event),
        );
        res.status(200).json(ancestry);
        return {
          rootEntityRef: ancestry.rootEntityRef,
          ancestry: ancestry.items.map(item => ({
            entityRef: stringifyEntityRef(item.entity),
            parentEntityRefs: item.parentEntityRefs,
          })),
        };
      },
    ),
  );

  router.get(
    '/entity-facets',
    auditRoute(
      auditor,
      () => ({ eventId: 'entity-facets' }),
      async (req, res, event) => {
        const query = readQueryParams(req, known.facets, 'GET /entity-facets');
        const facets = parseEntityFacetParams(query, limits);
        const filter = parseEntityFilterParams(query, limits);
        const permissionFilter = await readFilter(req, event);
        res.status(200).json(
          await catalog.getEntityFacets({
            facets,
            ...(filter && { filter }),
            ...(permissionFilter && { permissionFilter }),
          }),
        );
      },
    ),
  );
}

/** The path parameters of a by-name route. */
function toNameParams(params: Request['params']) {
  return {
    kind: String(params.kind),
    namespace: String(params.namespace),
    name: String(params.name),
  };
}

/** The entity ref a by-name route names, as Backstage's audit events give it. */
function toRef(params: Request['params']): string {
  return stringifyEntityRef(toNameParams(params));
}

/**
 * Refuses, before any byte of the body, a listing without `limit` that
 * would answer more than `catalog.pagination.maxUnpagedEntities`: the
 * count runs under the same filters, so it is what the stream would send
 * (from `offset`; from `after`, at most that).
 */
async function assertWithinUnpagedCap(
  catalog: EntitiesCatalog,
  request: Omit<ListEntitiesRequest, 'limit'>,
  start: { offset?: number; after?: EntityPosition },
  limits: QueryLimits,
): Promise<void> {
  const cap = limits.maxUnpagedEntities!;
  const { totalItems } = await catalog.queryEntities({
    query: {
      ...(request.filter && { filter: request.filter }),
      orderFields: [],
      totalItems: 'include',
    },
    ...(request.permissionFilter && {
      permissionFilter: request.permissionFilter,
    }),
    limit: 0,
  });
  const remaining = Math.max(0, totalItems - (start.offset ?? 0));
  if (remaining > cap) {
    const count = start.after
      ? `up to ${remaining} entities match`
      : `${remaining} entities match`;
    throw new InputError(
      `Invalid query for GET /entities: ${count}, more than the ${cap} that 'catalog.pagination.maxUnpagedEntities' allows one response without 'limit'. Page through them: pass 'limit' (at most ${limits.maxLimit}) and follow the rel="next" link with 'after', or use GET /entities/by-query, or POST /entities/by-query, with its cursors.`,
    );
  }
}
