import type { LoggerService } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import type { Knex } from 'knex';
import type { OrphanStrategy } from '../database/entityReferences';
import type {
  EntitiesCatalog,
  EntityAncestryResponse,
  EntityFacetsResponse,
  EntityJson,
  EntityPermissionFilter,
  GetEntitiesByRefsRequest,
  GetEntityFacetsRequest,
  ListEntitiesRequest,
  ListEntitiesResponse,
  QueryEntitiesRequest,
  QueryEntitiesResponse,
} from './EntitiesCatalog';
import {
  getEntitiesByRefs,
  getEntityAncestry,
  getEntitiesByLowerRefs,
  getEntityByUid,
  getEntityFacets,
} from './entityLookups';
import { listEntities, queryEntitiesByCursor } from './entityPages';
import { removeEntityByUid } from './removeEntityByUid';

/**
 * The {@link EntitiesCatalog} over the catalog's own database: the
 * `final_entities`, `search`, `relations` and `refresh_state_references`
 * tables the processing engine and the stitcher write. Concurrent by-name
 * lookups under the same permission filter (or none) share one query;
 * sharing identical overlapping reads, and keeping them, is
 * `CachedEntitiesCatalog`'s job.
 *
 * @internal
 */
export class DefaultEntitiesCatalog implements EntitiesCatalog {
  readonly #knex: Knex;
  readonly #statementTimeoutMs: number;
  readonly #removal: {
    orphanStrategy: OrphanStrategy;
    logger?: LoggerService;
  };
  readonly #byRef: BatchedLookup<EntityJson>;
  /** By the JSON of the permission filter; the oldest filter goes first. */
  readonly #byRefFiltered = new Map<string, BatchedLookup<EntityJson>>();

  /**
   * @example
   * ```ts
   * const entitiesCatalog = DefaultEntitiesCatalog.create({ knex: await database.getClient() });
   * ```
   */
  static create(options: {
    knex: Knex;
    /** @defaultValue 10 seconds, from `catalog.queryLimits.statementTimeout` */
    statementTimeoutMs?: number;
    /** @defaultValue `'delete'`, from `catalog.orphanStrategy` */
    orphanStrategy?: OrphanStrategy;
    /** Told which orphans a removal deleted. */
    logger?: LoggerService;
  }): DefaultEntitiesCatalog {
    return new DefaultEntitiesCatalog(options);
  }

  private constructor(options: {
    knex: Knex;
    statementTimeoutMs?: number;
    orphanStrategy?: OrphanStrategy;
    logger?: LoggerService;
  }) {
    const { knex } = options;
    this.#knex = knex;
    this.#statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
    this.#removal = {
      orphanStrategy: options.orphanStrategy ?? 'delete',
      logger: options.logger,
    };
    this.#byRef = new BatchedLookup(refs => getEntitiesByLowerRefs(knex, refs));
  }

  listEntities(request: ListEntitiesRequest): Promise<ListEntitiesResponse> {
    return this.#bounded(knex => listEntities(knex, request));
  }

  queryEntities(request: QueryEntitiesRequest): Promise<QueryEntitiesResponse> {
    return this.#bounded(knex => queryEntitiesByCursor(knex, request));
  }

  getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
  ): Promise<Array<EntityJson | null>> {
    return this.#bounded(knex => getEntitiesByRefs(knex, request));
  }

  getEntityByRef(
    entityRef: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityJson | undefined> {
    const lowerRef = entityRef.toLowerCase();
    return permissionFilter
      ? this.#filteredByRef(permissionFilter).get(lowerRef)
      : this.#byRef.get(lowerRef);
  }

  /**
   * The batched lookup for callers under this permission filter: a
   * policy that lets users read what they own gives users of the same
   * groups equal filters, so their concurrent by-name lookups share a
   * query. Filters are told apart by their JSON; a lookup dropped from
   * the map still answers the callers it has gathered.
   */
  #filteredByRef(
    permissionFilter: EntityPermissionFilter,
  ): BatchedLookup<EntityJson> {
    const key = JSON.stringify(permissionFilter);
    let lookup = this.#byRefFiltered.get(key);
    if (!lookup) {
      if (this.#byRefFiltered.size >= maxFilteredLookups) {
        this.#byRefFiltered.delete(
          this.#byRefFiltered.keys().next().value as string,
        );
      }
      lookup = new BatchedLookup(refs =>
        getEntitiesByLowerRefs(this.#knex, refs, permissionFilter),
      );
      this.#byRefFiltered.set(key, lookup);
    }
    return lookup;
  }

  getEntityByUid(
    uid: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityJson | undefined> {
    return getEntityByUid(this.#knex, uid, permissionFilter);
  }

  getEntityFacets(
    request: GetEntityFacetsRequest,
  ): Promise<EntityFacetsResponse> {
    return this.#bounded(knex => getEntityFacets(knex, request));
  }

  getEntityAncestry(
    entityRef: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityAncestryResponse> {
    return this.#bounded(knex =>
      getEntityAncestry(knex, entityRef, permissionFilter),
    );
  }

  /**
   * Runs a read whose cost the request shapes (filters, orders, refs) in a
   * transaction of its own, with `statement_timeout` so that no request
   * holds a pool connection longer, and JIT compilation off: PostgreSQL
   * judges these queries costly enough to compile, which takes seconds
   * while the query itself takes milliseconds. Lookups by ref and uid are
   * single index reads, plus a few index probes of the entity found under
   * a permission filter, and skip the extra round trips. A read cut short
   * by the timeout is the caller's to narrow, so it answers 400.
   */
  async #bounded<T>(read: (knex: Knex) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await this.#knex.transaction(async trx => {
        await trx.raw(
          "SELECT set_config('statement_timeout', ?, true), set_config('jit', 'off', true)",
          [String(this.#statementTimeoutMs)],
        );
        return read(trx);
      });
    } catch (error) {
      // By the time taken, not the message, which the server's locale
      // words; a cancellation sooner came from someone else.
      if (
        isQueryCanceled(error) &&
        performance.now() - started >= this.#statementTimeoutMs
      ) {
        throw new InputError(
          `The catalog query was cancelled after ${this.#statementTimeoutMs} ms, the most that 'catalog.queryLimits.statementTimeout' allows one read. Narrow the filter, or ask for fewer order fields, fields or entities.`,
        );
      }
      throw error;
    }
  }

  async removeEntityByUid(uid: string): Promise<void> {
    await removeEntityByUid(this.#knex, uid, this.#removal);
  }
}

/**
 * How many permission filters keep a by-name lookup of their own; a
 * policy gives one filter per set of ownership refs, so this many groups
 * of users reading at once share batches.
 */
const maxFilteredLookups = 100;

/** Whether PostgreSQL cancelled a statement (SQLSTATE 57014). */
function isQueryCanceled(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === '57014';
}

/**
 * Gathers single-key lookups made in the same turn of the event loop into
 * one batched load, as a data loader does: under concurrent load, ten
 * `GET /entities/by-name` requests cost one database round trip instead
 * of ten.
 *
 * @internal
 */
export class BatchedLookup<V> {
  readonly #load: (keys: string[]) => Promise<Map<string, V>>;
  readonly #maxBatchSize: number;
  #pending = new Map<
    string,
    Array<{ resolve(value: V | undefined): void; reject(error: unknown): void }>
  >();
  #scheduled = false;

  /**
   * `load` answers the keys it finds; keys missing from its map resolve
   * to `undefined`.
   */
  constructor(
    load: (keys: string[]) => Promise<Map<string, V>>,
    options?: { maxBatchSize?: number },
  ) {
    this.#load = load;
    this.#maxBatchSize = options?.maxBatchSize ?? 500;
  }

  get(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.#pending.get(key);
      if (waiters) {
        waiters.push({ resolve, reject });
      } else {
        this.#pending.set(key, [{ resolve, reject }]);
      }
      if (this.#pending.size >= this.#maxBatchSize) {
        this.#flush();
      } else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    if (batch.size === 0) {
      return;
    }
    this.#pending = new Map();
    this.#load([...batch.keys()]).then(
      found => {
        for (const [key, waiters] of batch) {
          const value = found.get(key);
          for (const waiter of waiters) waiter.resolve(value);
        }
      },
      (error: unknown) => {
        for (const waiters of batch.values()) {
          for (const waiter of waiters) waiter.reject(error);
        }
      },
    );
  }
}
