import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_ORPHAN,
  ANNOTATION_VIEW_URL,
  type Entity,
  type EntityStatusItem,
} from '@plinth/catalog-model';
import type { StitchSource } from '../database/readStitchSources';
import type { StoredError } from '../database/toStoredError';
import type { StitchedEntity } from '../database/writeStitchedEntities';
import { computeStableHash } from '../processing/computeStableHash';
import { buildEntitySearch } from './buildEntitySearch';

/** The status item type of processing errors, as Backstage clients expect it. */
export const CATALOG_PROCESSING_STATUS_TYPE = 'backstage.io/catalog-processing';

/** Where a rejected link points instead, as in Backstage. */
const rejectedUrl =
  'https://backstage.io/annotation-rejected-for-security-reasons';

/**
 * Builds the served form of an entity: the processed entity with the
 * relations whose source it is, its processing errors as status items, the
 * orphan annotation when nothing references it any more, `metadata.uid`,
 * and `metadata.etag` set to the hash of all of that.
 *
 * @returns `undefined` when the entity was never processed successfully:
 *   there is nothing to serve yet.
 */
export function stitchEntity(source: StitchSource): StitchedEntity | undefined {
  if (source.processedEntity === null) {
    return undefined;
  }
  const entity = JSON.parse(source.processedEntity) as Entity;
  const annotations = { ...entity.metadata.annotations };
  if (!source.referenced) {
    annotations[ANNOTATION_ORPHAN] = 'true';
  }
  for (const key of [ANNOTATION_VIEW_URL, ANNOTATION_EDIT_URL]) {
    if (typeof annotations[key] === 'string' && isScriptUrl(annotations[key])) {
      annotations[key] = rejectedUrl;
    }
  }
  entity.metadata = {
    ...entity.metadata,
    uid: source.entityId,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  delete entity.metadata.etag;
  entity.relations = source.relations;
  const items = toStatusItems(source.errors);
  if (items.length > 0) {
    entity.status = {
      ...entity.status,
      items: [...(entity.status?.items ?? []), ...items],
    };
  }
  const hash = computeStableHash(entity);
  entity.metadata.etag = hash;
  return {
    entityId: source.entityId,
    entityRef: source.entityRef,
    hash,
    finalEntity: JSON.stringify(entity),
    previouslyServed: source.previousHash !== null,
    searchRows: buildEntitySearch(entity),
  };
}

function toStatusItems(errors: string | null): EntityStatusItem[] {
  const parsed: unknown = errors === null ? [] : JSON.parse(errors);
  if (!Array.isArray(parsed)) {
    return [];
  }
  return (parsed as StoredError[]).map(error => ({
    type: CATALOG_PROCESSING_STATUS_TYPE,
    level: 'error',
    message: describeStoredError(error),
    error,
  }));
}

/** `Name: message`, then each cause, on one line. */
function describeStoredError(error: StoredError): string {
  const parts = [`${error.name}: ${error.message}`];
  for (let cause = error.cause; cause; cause = cause.cause) {
    parts.push(`caused by ${cause.name}: ${cause.message}`);
  }
  return parts.join('; ');
}

/**
 * Whether a link would run script when opened. Browsers skip leading
 * control characters and spaces, and tabs and line breaks anywhere.
 */
function isScriptUrl(url: string): boolean {
  const normalized = url
    .replace(/[\t\n\r]/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/^[\u0000-\u0020]+/, '');
  return normalized.toLowerCase().startsWith('javascript:');
}
