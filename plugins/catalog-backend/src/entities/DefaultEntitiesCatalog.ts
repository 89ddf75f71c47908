import type { Knex } from 'knex';
import type {
  EntitiesCatalog,
  EntityAncestryResponse,
  EntityFacetsResponse,
  EntityJson,
  GetEntitiesByRefsRequest,
  GetEntityFacetsRequest,
  ListEntitiesRequest,
  ListEntitiesResponse,
  QueryEntitiesRequest,
  QueryEntitiesResponse,
} from './EntitiesCatalog';
import { getEntitiesByRefs } from './getEntitiesByRefs';
import { getEntityAncestry } from './getEntityAncestry';
import { BatchedLookup } from './BatchedLookup';
import { getEntitiesByLowerRefs } from './getEntitiesByLowerRefs';
import { getEntityByUid } from './getEntityByUid';
import { getEntityFacets } from './getEntityFacets';
import { listEntities } from './listEntities';
import { QueryCoalescer } from './QueryCoalescer';
import { queryEntitiesByCursor } from './queryEntitiesByCursor';
import { removeEntityByUid } from './removeEntityByUid';

/**
 * The {@link EntitiesCatalog} over the catalog's own database: the
 * `final_entities`, `search`, `relations` and `refresh_state_references`
 * tables the processing engine and the stitcher write. Identical listing,
 * query, by-refs and facet requests that overlap share one database run
 * (see {@link QueryCoalescer}), and so share their response objects.
 *
 * @internal
 */
export class DefaultEntitiesCatalog implements EntitiesCatalog {
  readonly #knex: Knex;
  readonly #coalescer = new QueryCoalescer();
  readonly #byRef: BatchedLookup<EntityJson>;

  /**
   * @example
   * ```ts
   * const entitiesCatalog = DefaultEntitiesCatalog.create({ knex: await database.getClient() });
   * ```
   */
  static create(options: { knex: Knex }): DefaultEntitiesCatalog {
    return new DefaultEntitiesCatalog(options.knex);
  }

  private constructor(knex: Knex) {
    this.#knex = knex;
    this.#byRef = new BatchedLookup(refs => getEntitiesByLowerRefs(knex, refs));
  }

  listEntities(request: ListEntitiesRequest): Promise<ListEntitiesResponse> {
    return this.#coalesce('list', request, () =>
      listEntities(this.#knex, request),
    );
  }

  queryEntities(request: QueryEntitiesRequest): Promise<QueryEntitiesResponse> {
    return this.#coalesce('query', request, () =>
      queryEntitiesByCursor(this.#knex, request),
    );
  }

  getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
  ): Promise<Array<EntityJson | null>> {
    return this.#coalesce('refs', request, () =>
      getEntitiesByRefs(this.#knex, request),
    );
  }

  getEntityByRef(entityRef: string): Promise<EntityJson | undefined> {
    return this.#byRef.get(entityRef.toLocaleLowerCase('en-US'));
  }

  getEntityByUid(uid: string): Promise<EntityJson | undefined> {
    return getEntityByUid(this.#knex, uid);
  }

  getEntityFacets(
    request: GetEntityFacetsRequest,
  ): Promise<EntityFacetsResponse> {
    return this.#coalesce('facets', request, () =>
      getEntityFacets(this.#knex, request),
    );
  }

  getEntityAncestry(entityRef: string): Promise<EntityAncestryResponse> {
    return getEntityAncestry(this.#knex, entityRef);
  }

  async removeEntityByUid(uid: string): Promise<void> {
    await removeEntityByUid(this.#knex, uid);
    // So that a listing asked for after the deletion does not share a run
    // that started before it.
    this.#coalescer.forgetRunning();
  }

  #coalesce<T>(kind: string, request: object, query: () => Promise<T>) {
    return this.#coalescer.run(`${kind}:${JSON.stringify(request)}`, query);
  }
}
