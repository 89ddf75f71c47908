import type { ClaimedEntity } from '../database/processingQueue';
import { toStoredError } from '../shared/toStoredError';
import type { ProcessingWrite } from '../database/writeProcessingResults';
import type { EntityProcessingResult } from './CatalogProcessingOrchestrator';
import {
  processorCacheTtl,
  readStoredProcessorCache,
  type StoredProcessorCache,
} from './EntityProcessorCache';
import { computeStableHash } from '../shared/computeStableHash';
import { serializeChild } from './ProcessingOutputCollector';
import { toLowerEntityRef } from '../shared/toLowerEntityRef';

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
  const stored = readStoredProcessorCache(row.cache);
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
  const children = result.deferredEntities.map(child => {
    const { entityRef, json, hash } = serializeChild(child);
    return {
      entityRef,
      entity: json,
      hash,
      locationKey: child.locationKey ?? null,
    };
  });
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
  const cache =
    Object.keys(result.cache).length === 0
      ? undefined
      : { ttl: processorCacheTtl, cache: result.cache };
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
  stored: StoredProcessorCache | undefined,
  resultHash: string,
  cache: StoredProcessorCache | undefined,
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

/**
 * The write for a row the engine itself could not handle, such as one
 * whose output cannot be written as JSON: stored as a failed run that
 * keeps the caches as they are, so one bad entity does not hold back its
 * batch.
 */
export function planFailedWrite(
  row: ClaimedEntity,
  error: Error,
): ProcessingWrite {
  const errors = [toStoredError(error)];
  return {
    kind: 'failed',
    entityId: row.entityId,
    entityRef: row.entityRef,
    unprocessedHash: row.unprocessedHash,
    resultHash: computeStableHash({ errors }),
    errors,
    cache: row.cache,
  };
}
