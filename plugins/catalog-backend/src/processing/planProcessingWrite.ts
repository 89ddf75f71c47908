import type { JsonObject } from '@plinth/catalog-model';
import type { ClaimedEntity } from '../database/claimDueEntities';
import { toStoredError } from '../database/toStoredError';
import type { ProcessingWrite } from '../database/writeProcessingResults';
import type { EntityProcessingResult } from './CatalogProcessingOrchestrator';
import { computeStableHash } from './computeStableHash';
import { toLowerEntityRef } from './toLowerEntityRef';

/** How many failed runs in a row a processor cache survives. */
const cacheTtl = 5;

/** The processor caches as `refresh_state.cache` holds them. */
interface StoredCache {
  /** Failed runs left before the cache is dropped. */
  ttl: number;
  state: JsonObject;
}

/** The processor caches stored for an entity, to hand to the orchestrator. */
export function readCacheState(cache: string | null): JsonObject | undefined {
  return readStoredCache(cache)?.state;
}

/**
 * Decides what the processing of a claimed entity writes: nothing when the
 * result hash and the caches are unchanged, only the caches when just they
 * changed, and otherwise the whole result. The result hash covers
 * everything the entity's processing leaves in the database: the entity,
 * its children, relations, refresh keys and errors.
 *
 * A failing run keeps the caches for a few runs, then drops them, in case
 * a stale cache entry is what makes it fail.
 */
export function planProcessingWrite(
  row: ClaimedEntity,
  result: EntityProcessingResult,
): ProcessingWrite | undefined {
  const stored = readStoredCache(row.cache);
  const errors = result.errors.map(e => toStoredError(e));
  const base = {
    entityId: row.entityId,
    entityRef: row.entityRef,
    unprocessedHash: row.unprocessedHash,
  };
  if (!result.ok) {
    const cache =
      stored && stored.ttl > 0 ? { ...stored, ttl: stored.ttl - 1 } : undefined;
    const resultHash = computeStableHash({ errors });
    return choose(row, stored, resultHash, cache, () => ({
      ...base,
      kind: 'failed',
      resultHash,
      errors,
      cache: cache ? JSON.stringify(cache) : null,
    }));
  }
  const entity = result.completedEntity;
  entity.metadata.uid = row.entityId;
  const children = result.deferredEntities.map(child => ({
    entityRef: toLowerEntityRef(child.entity),
    entity: JSON.stringify(child.entity),
    hash: computeStableHash(child.entity),
    locationKey: child.locationKey ?? null,
  }));
  const relations = result.relations.map(r => ({
    sourceEntityRef: toLowerEntityRef(r.source),
    type: r.type,
    targetEntityRef: toLowerEntityRef(r.target),
  }));
  const refreshKeys = result.refreshKeys.map(k => k.key);
  const resultHash = computeStableHash({
    errors,
    entity,
    children: children.map(c => [c.entityRef, c.hash, c.locationKey]),
    relations,
    refreshKeys,
  });
  const cache = isEmptyState(result.state)
    ? undefined
    : { ttl: cacheTtl, state: result.state };
  return choose(row, stored, resultHash, cache, () => ({
    ...base,
    kind: 'processed',
    resultHash,
    errors,
    cache: cache ? JSON.stringify(cache) : null,
    processedEntity: JSON.stringify(entity),
    relations,
    refreshKeys,
    children,
  }));
}

function choose(
  row: ClaimedEntity,
  stored: StoredCache | undefined,
  resultHash: string,
  cache: StoredCache | undefined,
  full: () => ProcessingWrite,
): ProcessingWrite | undefined {
  if (resultHash !== row.resultHash) {
    return full();
  }
  if (computeStableHash(cache ?? null) === computeStableHash(stored ?? null)) {
    return undefined;
  }
  return {
    kind: 'cache',
    entityId: row.entityId,
    entityRef: row.entityRef,
    unprocessedHash: row.unprocessedHash,
    cache: cache ? JSON.stringify(cache) : null,
  };
}

function readStoredCache(cache: string | null): StoredCache | undefined {
  if (cache === null) {
    return undefined;
  }
  const parsed = JSON.parse(cache) as Partial<StoredCache>;
  return typeof parsed.ttl === 'number' && typeof parsed.state === 'object'
    ? (parsed as StoredCache)
    : undefined;
}

function isEmptyState(state: JsonObject): boolean {
  const cache = state.cache;
  return (
    typeof cache !== 'object' ||
    cache === null ||
    Object.keys(cache).length === 0
  );
}
