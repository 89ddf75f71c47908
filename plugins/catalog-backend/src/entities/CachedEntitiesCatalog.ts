import { AsyncResource } from 'node:async_hooks';
import { computeStableHash } from '../shared/computeStableHash';
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

type FacetCounts = EntityFacetsResponse['facets'][string];

/** Options of {@link CachedEntitiesCatalog}. @internal */
export interface CachedEntitiesCatalogOptions {
  /**
   * Reads the catalog generation, which every transaction that changes
   * what the catalog serves increments (any replica's).
   */
  readGeneration(): Promise<string>;
  /**
   * How long a generation read is trusted: answers may lag a change made
   * by another replica by this much. @defaultValue 250
   */
  generationTtlMs?: number;
  /**
   * The memory budget of cached answers, counted in characters of their
   * JSON. @defaultValue 8 Mi
   */
  maxBytes?: number;
  /** For tests. @defaultValue Date.now */
  now?: () => number;
}

/**
 * Answers repeated reads from memory for as long as the catalog has not
 * changed: the cache belongs to one generation of the catalog and is
 * dropped as soon as a newer generation is seen.
 *
 * @remarks
 * Stitching is already asynchronous, so readers see a change some time
 * after it is made; this adds at most `generationTtlMs` for changes made
 * by other replicas, and nothing for this replica's own writes, after
 * which {@link CachedEntitiesCatalog.invalidate} is called. An answer
 * computed while the generation moved on is returned but not kept, so the
 * cache never holds data older than its generation.
 *
 * @internal
 */
export class CachedEntitiesCatalog implements EntitiesCatalog {
  readonly #inner: EntitiesCatalog;
  readonly #options: Required<
    Omit<CachedEntitiesCatalogOptions, 'readGeneration'>
  > &
    Pick<CachedEntitiesCatalogOptions, 'readGeneration'>;
  readonly #answers: ByteBoundedLru<unknown>;
  #generation?: string;
  #checkedAt = -Infinity;
  /** The generation read in flight, and the invalidations it began after. */
  #checking?: { read: Promise<void>; invalidations: number };
  /** Bumped whenever the cache is dropped, so late answers are not kept. */
  #epoch = 0;
  /** Bumped by invalidate(), so a generation read begun before it does not count. */
  #invalidations = 0;
  /** Made at construction, outside any request: the async context of kept answers. */
  readonly #detached = new AsyncResource('CachedEntitiesCatalog');

  constructor(inner: EntitiesCatalog, options: CachedEntitiesCatalogOptions) {
    this.#inner = inner;
    this.#options = {
      generationTtlMs: 250,
      maxBytes: 8 * 1024 * 1024,
      now: Date.now,
      ...options,
    };
    this.#answers = new ByteBoundedLru(this.#options.maxBytes);
  }

  /** Makes the next read check the generation, after a local write. */
  invalidate(): void {
    this.#invalidations += 1;
    this.#checkedAt = -Infinity;
  }

  listEntities(request: ListEntitiesRequest): Promise<ListEntitiesResponse> {
    if (request.cache === false) {
      return this.#inner.listEntities(request);
    }
    return this.#cached(
      toKey('list', request),
      () => this.#inner.listEntities(request),
      response => sizeOfJsonList(response.entities),
    );
  }

  queryEntities(request: QueryEntitiesRequest): Promise<QueryEntitiesResponse> {
    return this.#cached(
      toKey('query', request),
      () => this.#queryCountingOnce(request),
      response => sizeOfJsonList(response.items),
    );
  }

  /**
   * A page, whose total, when asked for, is counted once per generation
   * for a filter and caller: the first page of every query counts every
   * entity it matches (30 ms over 100,000 entities, twice the cost of its
   * rows) while later pages take the total from their cursor, and first
   * pages differ by what changes no total (fields, limit, order).
   */
  async #queryCountingOnce(
    request: QueryEntitiesRequest,
  ): Promise<QueryEntitiesResponse> {
    const { query } = request;
    if ('cursor' in query || query.totalItems !== 'include') {
      return this.#inner.queryEntities(request);
    }
    const totalKey = toKey('total', {
      filter: query.filter,
      fullTextFilter: query.fullTextFilter,
      permissionFilter: request.permissionFilter,
    });
    const known = this.#answers.get(totalKey) as Promise<number> | undefined;
    if (!known) {
      const response = this.#inner.queryEntities(request);
      void this.#remember(
        totalKey,
        response.then(r => r.totalItems),
        () => 16,
      ).catch(() => undefined);
      return response;
    }
    const [totalItems, response] = await Promise.all([
      known,
      this.#inner.queryEntities({
        ...request,
        query: { ...query, totalItems: 'exclude' },
      }),
    ]);
    // The cursors carry the total to the later pages.
    return {
      ...response,
      totalItems,
      ...(response.nextCursor && {
        nextCursor: { ...response.nextCursor, totalItems },
      }),
      ...(response.prevCursor && {
        prevCursor: { ...response.prevCursor, totalItems },
      }),
    };
  }

  getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
  ): Promise<Array<EntityJson | null>> {
    return this.#cached(
      toKey('refs', request),
      () => this.#inner.getEntitiesByRefs(request),
      sizeOfJsonList,
    );
  }

  getEntityByRef(
    entityRef: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityJson | undefined> {
    return this.#cached(
      toKey('ref', {
        entityRef: entityRef.toLowerCase(),
        permissionFilter,
      }),
      () => this.#inner.getEntityByRef(entityRef, permissionFilter),
      json => 64 + (json?.length ?? 0),
    );
  }

  getEntityByUid(
    uid: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityJson | undefined> {
    return this.#cached(
      toKey('uid', { uid, permissionFilter }),
      () => this.#inner.getEntityByUid(uid, permissionFilter),
      json => 64 + (json?.length ?? 0),
    );
  }

  async getEntityFacets(
    request: GetEntityFacetsRequest,
  ): Promise<EntityFacetsResponse> {
    // Kept per facet rather than per request: counting a facet over a
    // large catalog reads one index entry per entity that has it (345,000
    // for four facets of 100,000 entities, hundreds of ms), and clients
    // ask for ever other sets of the same few facets. The facets not
    // kept are counted in one read, as the request asked for them.
    await this.#checkGeneration();
    const keyOf = (facet: string) =>
      toKey('facet', { ...request, facets: [facet] });
    const counts = new Map<string, Promise<FacetCounts>>();
    const missing: string[] = [];
    for (const facet of new Set(request.facets)) {
      const hit = this.#answers.get(keyOf(facet)) as
        Promise<FacetCounts> | undefined;
      if (hit) {
        counts.set(facet, hit);
      } else {
        missing.push(facet);
      }
    }
    if (missing.length > 0) {
      const read = this.#inner.getEntityFacets({
        ...request,
        facets: missing,
      });
      for (const facet of missing) {
        const answer = read.then(response => response.facets[facet] ?? []);
        counts.set(facet, answer);
        void this.#remember(
          keyOf(facet),
          answer,
          values => JSON.stringify(values).length,
        ).catch(() => undefined);
      }
    }
    const facets: EntityFacetsResponse['facets'] = {};
    for (const facet of request.facets) {
      facets[facet] = await counts.get(facet)!;
    }
    return { facets };
  }

  getEntityAncestry(
    entityRef: string,
    permissionFilter?: EntityPermissionFilter,
  ): Promise<EntityAncestryResponse> {
    // Rare, and walks refresh_state, whose changes do not all move the
    // generation: always asked fresh.
    return this.#inner.getEntityAncestry(entityRef, permissionFilter);
  }

  async removeEntityByUid(uid: string): Promise<void> {
    await this.#inner.removeEntityByUid(uid);
    this.#drop();
    this.invalidate();
  }

  async #cached<T>(
    key: string,
    read: () => Promise<T>,
    sizeOf: (value: T) => number,
  ): Promise<T> {
    await this.#checkGeneration();
    const hit = this.#answers.get(key) as Promise<T> | undefined;
    if (hit) {
      return hit;
    }
    return this.#remember(key, read(), sizeOf);
  }

  /**
   * Keeps an answer of the current generation under `key`, while it runs
   * (so identical concurrent reads share it) and once it succeeded; an
   * answer computed while the generation moved on is not kept.
   */
  async #remember<T>(
    key: string,
    answer: Promise<T>,
    sizeOf: (value: T) => number,
  ): Promise<T> {
    const epoch = this.#epoch;
    // A promise made in a request carries that request's async-context
    // stores (AsyncLocalStorage), which hold the request: keep a promise
    // made outside it.
    const kept = this.#detached.runInAsyncScope(() => answer.then(v => v));
    kept.catch(() => undefined);
    this.#answers.set(key, kept, key.length);
    try {
      const value = await answer;
      if (this.#epoch === epoch) {
        this.#answers.set(key, kept, key.length + sizeOf(value));
      }
      return value;
    } catch (error) {
      if (this.#epoch === epoch) {
        this.#answers.delete(key);
      }
      throw error;
    }
  }

  async #checkGeneration(): Promise<void> {
    if (this.#options.now() - this.#checkedAt < this.#options.generationTtlMs) {
      return;
    }
    // A read begun before the last invalidate() may predate the write it
    // announced: joining it could serve what that write replaced.
    if (this.#checking?.invalidations !== this.#invalidations) {
      const checking = {
        read: this.#readGeneration().finally(() => {
          if (this.#checking === checking) {
            this.#checking = undefined;
          }
        }),
        invalidations: this.#invalidations,
      };
      this.#checking = checking;
    }
    await this.#checking.read;
  }

  async #readGeneration(): Promise<void> {
    const startedAt = this.#options.now();
    const invalidations = this.#invalidations;
    const generation = await this.#options.readGeneration();
    if (generation !== this.#generation) {
      this.#generation = generation;
      this.#drop();
    }
    if (invalidations === this.#invalidations) {
      this.#checkedAt = startedAt;
    }
  }

  #drop(): void {
    this.#answers.clear();
    this.#epoch += 1;
  }
}

/**
 * The cache key of a read: its kind, the hash of the caller's permission
 * filter (`all` without one), and the rest of the request. Answers are
 * shared only between callers whose decisions are the same, and a long
 * list of ownership claims costs the key 64 characters.
 */
function toKey<T extends { permissionFilter?: EntityPermissionFilter }>(
  kind: string,
  request: T,
): string {
  const { permissionFilter, ...rest } = request;
  const scope = permissionFilter ? computeStableHash(permissionFilter) : 'all';
  return `${kind}:${scope}:${JSON.stringify(rest)}`;
}

function sizeOfJsonList(items: ReadonlyArray<string | null>): number {
  let bytes = 0;
  for (const item of items) {
    bytes += 16 + (item?.length ?? 0);
  }
  return bytes;
}

/**
 * A least-recently-used map bounded by the total size of its values, as
 * the caller measures them, so a cache of responses cannot grow past a
 * memory budget however large single responses are.
 *
 * @internal
 */
export class ByteBoundedLru<V> {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The total size of the values held. */
  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      return undefined;
    }
    // Re-inserting moves the key to the end of the Map's iteration order,
    // which is what marks it most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` unless it alone is larger than the whole budget. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.#maxBytes) {
      return;
    }
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldestKey] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) {
        break;
      }
      this.delete(oldestKey);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
