import type { Entity } from '@plinth/catalog-model';
import type { EntitiesSearchFilter } from '@plinth/plugin-catalog-node';
import type { PermissionCriteria } from '@plinth/plugin-permission-common';

/**
 * The JSON text of one served entity, as stored in `final_entities`;
 * responses splice it in as is, so it is never parsed without need.
 *
 * @internal
 */
export type EntityJson = string;

/**
 * One condition of a filter set: the entity has a search row for `key`
 * (a dotted path, compared case-insensitively), and when `values` is
 * given, one of those rows has one of the values (case-insensitively).
 *
 * @internal
 */
export interface EntityFilterCondition {
  key: string;
  values?: string[];
}

/**
 * Filter sets: an entity matches when every condition of at least one set
 * matches it. An empty list matches no entity.
 *
 * @internal
 */
export type EntityFilter = EntityFilterCondition[][];

/**
 * The entities a caller may see or change, from a permission decision:
 * criteria over search filters, which the policy's conditions became rule
 * by rule. A DENY is `{ anyOf: [] }`, which matches nothing; an ALLOW is
 * no filter at all. It is ANDed into the SQL of every read, so all routes
 * agree on what is visible.
 *
 * @internal
 */
export type EntityPermissionFilter = PermissionCriteria<
  EntitiesSearchFilter | EntityPrefixCondition
>;

/**
 * The entity has a search row for `key` whose value starts with `prefix`
 * (both compared case-insensitively): the `$hasPrefix` of a predicate
 * query, which routes AND into the permission filter so that one criteria
 * tree carries both.
 *
 * @internal
 */
export interface EntityPrefixCondition {
  key: string;
  prefix: string;
}

/**
 * Sorts by the values of a dotted path, lowercased; entities without the
 * path come last in either direction.
 *
 * @internal
 */
export interface EntityOrderField {
  field: string;
  order: 'asc' | 'desc';
}

/**
 * Where a page ends in an ordering: the sort value of each order field
 * (`null` when the entity has none), then the tie-breaker: the lowercased
 * ref in listings, the uid in queries.
 *
 * @internal
 */
export type EntityPosition = Array<string | null>;

/**
 * Keeps only entities that have a value containing `term`
 * (case-insensitively) under one of `fields`.
 *
 * @internal
 */
export interface EntityFullTextFilter {
  term: string;
  /**
   * The dotted paths searched.
   * @defaultValue the first order field, or `metadata.uid` without one
   */
  fields?: string[];
}

/**
 * A request for one page of `GET /entities`.
 *
 * @internal
 */
export interface ListEntitiesRequest {
  filter?: EntityFilter;
  /** Leaves out what the caller may not read. */
  permissionFilter?: EntityPermissionFilter;
  /** Dotted paths to keep of each entity; all of it when left out. */
  fields?: string[];
  /** @defaultValue by entity ref */
  order?: EntityOrderField[];
  limit: number;
  offset?: number;
  /** Start after this position, which `order` produced. */
  after?: EntityPosition;
  /**
   * `false` for an answer not worth keeping, such as the later batches of
   * a huge unpaged listing, so that an answer cache neither keeps it nor
   * evicts answers that are asked for again to make room.
   */
  cache?: false;
}

/**
 * A page of `GET /entities`.
 *
 * @internal
 */
export interface ListEntitiesResponse {
  entities: EntityJson[];
  /** The position of the last entity, when more entities follow. */
  endPosition?: EntityPosition;
}

/**
 * Everything a `GET /entities/by-query` cursor carries from the first page
 * to the next ones.
 *
 * @internal
 */
export interface QueryEntitiesCursor {
  filter?: EntityFilter;
  orderFields: EntityOrderField[];
  fullTextFilter?: EntityFullTextFilter;
  /** The first (backwards) or last (forwards) entity already served. */
  position: EntityPosition;
  /** The position of the first entity of the whole result. */
  firstPosition: EntityPosition;
  /** Whether the page before `position` is asked for. */
  isPrevious: boolean;
  /** The total counted for the first page. */
  totalItems: number;
}

/**
 * The first page of `GET /entities/by-query`.
 *
 * @internal
 */
export interface QueryEntitiesInitialRequest {
  filter?: EntityFilter;
  orderFields: EntityOrderField[];
  fullTextFilter?: EntityFullTextFilter;
  offset?: number;
  /** Whether to count the total; `exclude` answers 0. */
  totalItems: 'include' | 'exclude';
}

/**
 * A request for a page of `GET /entities/by-query`: the first one, or one
 * a cursor points to.
 *
 * @internal
 */
export interface QueryEntitiesRequest {
  query: QueryEntitiesInitialRequest | { cursor: QueryEntitiesCursor };
  /**
   * Leaves out what the caller may not read, from the items and the
   * total; never part of a cursor, as it is the caller's, decided anew for
   * each page.
   */
  permissionFilter?: EntityPermissionFilter;
  fields?: string[];
  limit: number;
}

/**
 * A page of `GET /entities/by-query`.
 *
 * @internal
 */
export interface QueryEntitiesResponse {
  items: EntityJson[];
  totalItems: number;
  nextCursor?: QueryEntitiesCursor;
  prevCursor?: QueryEntitiesCursor;
}

/**
 * The request of `POST /entities/by-refs`.
 *
 * @internal
 */
export interface GetEntitiesByRefsRequest {
  entityRefs: string[];
  filter?: EntityFilter;
  /** Answers `null` for refs the caller may not read. */
  permissionFilter?: EntityPermissionFilter;
  fields?: string[];
}

/**
 * The request of `GET /entity-facets`.
 *
 * @internal
 */
export interface GetEntityFacetsRequest {
  facets: string[];
  filter?: EntityFilter;
  /** Counts only what the caller may read. */
  permissionFilter?: EntityPermissionFilter;
}

/**
 * For each requested facet, its distinct values and how many entities
 * have each.
 *
 * @internal
 */
export interface EntityFacetsResponse {
  facets: Record<string, Array<{ value: string; count: number }>>;
}

/**
 * An entity and the entities that emitted it, up to the roots.
 *
 * @internal
 */
export interface EntityAncestryResponse {
  rootEntityRef: string;
  items: Array<{ entity: Entity; parentEntityRefs: string[] }>;
}

/**
 * The read side of the catalog over the stitched entities, plus removal of
 * one entity; what the REST API serves.
 *
 * @internal
 */
export interface EntitiesCatalog {
  /** A page of entities in a stable order, by ref after the order fields. */
  listEntities(request: ListEntitiesRequest): Promise<ListEntitiesResponse>;
  /**
   * A page of entities with cursors to the next and previous pages, by uid
   * after the order fields.
   */
  queryEntities(request: QueryEntitiesRequest): Promise<QueryEntitiesResponse>;
  /** The entities with the given refs, in that order; `null` for unknown refs. */
  getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
  ): Promise<Array<EntityJson | null>>;
  /**
   * The entity with the ref (compared case-insensitively), or `undefined`,
   * also when it does not pass the permission filter.
   */
  getEntityByRef(
    entityRef: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityJson | undefined>;
  /** The entity with the uid, or `undefined`, as {@link EntitiesCatalog.getEntityByRef}. */
  getEntityByUid(
    uid: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityJson | undefined>;
  /** Facet values with entity counts. */
  getEntityFacets(
    request: GetEntityFacetsRequest,
  ): Promise<EntityFacetsResponse>;
  /**
   * The entity and its ancestors. With a permission filter, ancestors the
   * caller may not read are left out, both as items and from the
   * `parentEntityRefs` of the others, while the walk goes on through them
   * to ancestors the caller may read.
   * @throws NotFoundError when no entity has the ref, or the caller may
   *   not read it (the same answer, so existence does not leak).
   */
  getEntityAncestry(
    entityRef: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityAncestryResponse>;
  /**
   * Deletes the entity with the uid and has what it affected re-stitched and
   * its parents reprocessed; does nothing when no entity has the uid.
   */
  removeEntityByUid(uid: string): Promise<void>;
}
