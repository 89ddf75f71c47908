import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type BackstageCredentials,
} from '@plinth/backend-plugin-api';
import type { CompoundEntityRef, Entity } from '@plinth/catalog-model';
import type { SerializedError } from '@plinth/errors';
import type {
  AnalyzeLocationRequest,
  AnalyzeLocationResponse,
} from '../extensionPoints';
import type {
  EntityFieldsQuery,
  EntityFilterQuery,
  EntityOrderQuery,
} from './catalogRequest';
import { DefaultCatalogService } from './DefaultCatalogService';

/**
 * The last argument of every {@link CatalogService} method: on whose behalf
 * the catalog is called.
 *
 * @public
 */
export interface CatalogServiceRequestOptions {
  /** Usually the credentials of the request being served, from `httpAuth.credentials(req)`. */
  credentials: BackstageCredentials;
}

/**
 * The request of {@link CatalogService.getEntities}.
 *
 * @public
 */
export interface GetEntitiesRequest {
  filter?: EntityFilterQuery;
  fields?: EntityFieldsQuery;
  order?: EntityOrderQuery;
  /** How many entities to skip. */
  offset?: number;
  /** The most entities to return. @defaultValue every match, unless `catalog.pagination.maxUnpagedEntities` refuses that with a 400 */
  limit?: number;
  /** Continue after this cursor from a previous response. */
  after?: string;
}

/**
 * The response of {@link CatalogService.getEntities}.
 *
 * @public
 */
export interface GetEntitiesResponse {
  items: Entity[];
}

/**
 * The request of {@link CatalogService.getEntitiesByRefs}.
 *
 * @public
 */
export interface GetEntitiesByRefsRequest {
  /** Entity refs such as `component:default/a`; the answer keeps their order. */
  entityRefs: string[];
  fields?: EntityFieldsQuery;
  /** Entities that do not match are answered as `undefined`. */
  filter?: EntityFilterQuery;
}

/**
 * The response of {@link CatalogService.getEntitiesByRefs}: one item per
 * requested ref, in order, `undefined` where there is no such entity.
 *
 * @public
 */
export interface GetEntitiesByRefsResponse {
  items: Array<Entity | undefined>;
}

/**
 * The first request of a paginated {@link CatalogService.queryEntities}; its
 * filter, order and full-text filter stay fixed for the following pages.
 *
 * @public
 */
export interface QueryEntitiesInitialRequest {
  fields?: EntityFieldsQuery;
  /** The most entities per page. @defaultValue 20 */
  limit?: number;
  offset?: number;
  filter?: EntityFilterQuery;
  orderFields?: EntityOrderQuery;
  /** Entities whose fields contain `term`, without regard to case. */
  fullTextFilter?: {
    term: string;
    /** @defaultValue the order fields, else `metadata.uid` */
    fields?: string[];
  };
  /** `'exclude'` skips counting; `totalItems` is then 0. @defaultValue `'include'` */
  totalItems?: 'include' | 'exclude';
}

/**
 * A request for the next or previous page of
 * {@link CatalogService.queryEntities}.
 *
 * @public
 */
export interface QueryEntitiesCursorRequest {
  fields?: EntityFieldsQuery;
  limit?: number;
  /** A `nextCursor` or `prevCursor` from an earlier response. */
  cursor: string;
}

/**
 * The request of {@link CatalogService.queryEntities}.
 *
 * @public
 */
export type QueryEntitiesRequest =
  QueryEntitiesInitialRequest | QueryEntitiesCursorRequest;

/**
 * One page of {@link CatalogService.queryEntities}.
 *
 * @public
 */
export interface QueryEntitiesResponse {
  items: Entity[];
  /** How many entities match, over all pages. */
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

/**
 * The request of {@link CatalogService.streamEntities}.
 *
 * @public
 */
export type StreamEntitiesRequest = Omit<
  QueryEntitiesInitialRequest,
  'limit' | 'offset'
> & {
  /** Entities per page. @defaultValue 500 */
  pageSize?: number;
};

/**
 * The request of {@link CatalogService.getEntityAncestors}.
 *
 * @public
 */
export interface GetEntityAncestorsRequest {
  entityRef: string;
}

/**
 * The entities whose processing produced an entity, up to the root
 * location or provider.
 *
 * @public
 */
export interface GetEntityAncestorsResponse {
  rootEntityRef: string;
  items: Array<{ entity: Entity; parentEntityRefs: string[] }>;
}

/**
 * The request of {@link CatalogService.getEntityFacets}.
 *
 * @public
 */
export interface GetEntityFacetsRequest {
  /** Dotted paths to count values of, such as `kind` or `spec.type`. */
  facets: string[];
  filter?: EntityFilterQuery;
}

/**
 * Each requested facet's values with the number of entities that have them.
 *
 * @public
 */
export interface GetEntityFacetsResponse {
  facets: Record<string, Array<{ value: string; count: number }>>;
}

/**
 * A location registered through the catalog API.
 *
 * @public
 */
export interface Location {
  id: string;
  type: string;
  target: string;
}

/**
 * The response of {@link CatalogService.getLocations}.
 *
 * @public
 */
export interface GetLocationsResponse {
  items: Location[];
}

/**
 * The request of {@link CatalogService.addLocation}.
 *
 * @public
 */
export interface AddLocationRequest {
  /** @defaultValue `'url'` */
  type?: string;
  target: string;
  /** Read the location and answer its entities without registering it. */
  dryRun?: boolean;
}

/**
 * The response of {@link CatalogService.addLocation}.
 *
 * @public
 */
export interface AddLocationResponse {
  location: Location;
  /** The entities the location holds; filled in dry runs only. */
  entities: Entity[];
  /** Whether the location is already registered; dry runs only. */
  exists?: boolean;
}

/**
 * Whether the catalog would accept an entity, and if not, why.
 *
 * @public
 */
export type ValidateEntityResponse =
  { valid: true } | { valid: false; errors: SerializedError[] };

/**
 * The catalog's REST API for other backend plugins, called on behalf of
 * the given credentials. Get it with `catalogServiceRef`.
 *
 * @remarks
 * Failed requests throw `ResponseError` from `@plinth/errors`, which keeps
 * the status and the catalog's error; the lookups by id, ref or entity
 * answer `undefined` for a 404 instead.
 *
 * @public
 */
export interface CatalogService {
  /** Lists entities. */
  getEntities(
    request: GetEntitiesRequest | undefined,
    options: CatalogServiceRequestOptions,
  ): Promise<GetEntitiesResponse>;
  /** Gets entities by ref, in the order of the refs, in chunks of 1000. */
  getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
    options: CatalogServiceRequestOptions,
  ): Promise<GetEntitiesByRefsResponse>;
  /** Gets one page of entities, with cursors to the pages around it. */
  queryEntities(
    request: QueryEntitiesRequest | undefined,
    options: CatalogServiceRequestOptions,
  ): Promise<QueryEntitiesResponse>;
  /** Yields every matching entity, one page at a time. */
  streamEntities(
    request: StreamEntitiesRequest | undefined,
    options: CatalogServiceRequestOptions,
  ): AsyncIterable<Entity[]>;
  /** Gets the entities whose processing produced this one. */
  getEntityAncestors(
    request: GetEntityAncestorsRequest,
    options: CatalogServiceRequestOptions,
  ): Promise<GetEntityAncestorsResponse>;
  /** Gets one entity; `undefined` when there is none. */
  getEntityByRef(
    entityRef: string | CompoundEntityRef,
    options: CatalogServiceRequestOptions,
  ): Promise<Entity | undefined>;
  /** Deletes an entity by its `metadata.uid`; its source may add it again. */
  removeEntityByUid(
    uid: string,
    options: CatalogServiceRequestOptions,
  ): Promise<void>;
  /** Schedules an entity for processing now. */
  refreshEntity(
    entityRef: string,
    options: CatalogServiceRequestOptions,
  ): Promise<void>;
  /** Counts the values of fields over the matching entities. */
  getEntityFacets(
    request: GetEntityFacetsRequest,
    options: CatalogServiceRequestOptions,
  ): Promise<GetEntityFacetsResponse>;
  /** Lists the locations registered through the API. */
  getLocations(
    request: Record<string, never> | undefined,
    options: CatalogServiceRequestOptions,
  ): Promise<GetLocationsResponse>;
  /** Gets a registered location; `undefined` when there is none. */
  getLocationById(
    id: string,
    options: CatalogServiceRequestOptions,
  ): Promise<Location | undefined>;
  /** Finds a registered location by its ref, such as `url:https://...`. */
  getLocationByRef(
    locationRef: string,
    options: CatalogServiceRequestOptions,
  ): Promise<Location | undefined>;
  /** Registers a location, or with `dryRun` only reads it. */
  addLocation(
    location: AddLocationRequest,
    options: CatalogServiceRequestOptions,
  ): Promise<AddLocationResponse>;
  /** Unregisters a location; its entities become orphans. */
  removeLocationById(
    id: string,
    options: CatalogServiceRequestOptions,
  ): Promise<void>;
  /** Gets the location an entity came from; `undefined` when unknown. */
  getLocationByEntity(
    entityRef: string | CompoundEntityRef,
    options: CatalogServiceRequestOptions,
  ): Promise<Location | undefined>;
  /** Checks an entity as if it were read from `locationRef`. */
  validateEntity(
    entity: Entity,
    locationRef: string,
    options: CatalogServiceRequestOptions,
  ): Promise<ValidateEntityResponse>;
  /** Finds the entity files at a location, or suggests entities for it. */
  analyzeLocation(
    request: AnalyzeLocationRequest,
    options: CatalogServiceRequestOptions,
  ): Promise<AnalyzeLocationResponse>;
}

/**
 * The catalog client for other backend plugins: a plugin-scoped
 * {@link CatalogService} that calls the catalog over HTTP on behalf of the
 * credentials each call passes. Without a factory of its own, the backend
 * uses {@link DefaultCatalogService} with the plugin's discovery and auth.
 *
 * @example
 * ```ts
 * createBackendPlugin({
 *   pluginId: 'scorecards',
 *   register(env) {
 *     env.registerInit({
 *       deps: { catalog: catalogServiceRef, httpRouter: coreServices.httpRouter, httpAuth: coreServices.httpAuth },
 *       async init({ catalog, httpRouter, httpAuth }) {
 *         httpRouter.use(async (req, res) => {
 *           const credentials = await httpAuth.credentials(req);
 *           res.json(await catalog.getEntities({ filter: { kind: 'component' } }, { credentials }));
 *         });
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const catalogServiceRef = createServiceRef<CatalogService>({
  id: 'catalog-client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) =>
        DefaultCatalogService.create({ discovery, auth }),
    }),
});
