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
import { queryEntitiesByCursor } from './queryEntitiesByCursor';
import { removeEntityByUid } from './removeEntityByUid';

/**
 * The {@link EntitiesCatalog} over the catalog's own database: the
 * `final_entities`, `search`, `relations` and `refresh_state_references`
 * tables the processing engine and the stitcher write. Concurrent by-name
 * lookups share one query; sharing identical overlapping reads, and
 * keeping them, is `CachedEntitiesCatalog`'s job.
 *
 * @internal
 */
export class DefaultEntitiesCatalog implements EntitiesCatalog {
  readonly #knex: Knex;
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
    return listEntities(this.#knex, request);
  }

  queryEntities(request: QueryEntitiesRequest): Promise<QueryEntitiesResponse> {
    return queryEntitiesByCursor(this.#knex, request);
  }

  getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
  ): Promise<Array<EntityJson | null>> {
    return getEntitiesByRefs(this.#knex, request);
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
    return getEntityFacets(this.#knex, request);
  }

  getEntityAncestry(entityRef: string): Promise<EntityAncestryResponse> {
    return getEntityAncestry(this.#knex, entityRef);
  }

  async removeEntityByUid(uid: string): Promise<void> {
    await removeEntityByUid(this.#knex, uid);
  }
}
