import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
  stringifyLocationRef,
  type Entity,
} from '@plinth/catalog-model';
import type { LocationSpec } from '@plinth/plugin-catalog-node';
import type { Operation } from 'rfc6902';
import type {
  EntitiesCatalog,
  EntityPermissionFilter,
} from '../entities/EntitiesCatalog';
import type { CatalogProcessingOrchestrator } from '../processing/CatalogProcessingOrchestrator';
import type {
  BatchDocument,
  ValidateEntitiesRequest,
  ValidationIssue,
} from '../service/request/parseValidateEntitiesRequest';
import { diffServedEntity } from './diffServedEntity';
import { findDeletedEntities } from './findDeletedEntities';
import { findUnresolvedRelations, toIssues } from './describeBatchProblems';
import { lookUpRefs } from './lookUpRefs';

/**
 * What validating one document found.
 *
 * @internal
 */
export interface DocumentResult {
  index: number;
  line?: number;
  entityRef?: string;
  result: 'created' | 'changed' | 'unchanged' | 'invalid';
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** For `changed`: RFC 6902 operations from the served entity to this one. */
  diff?: Operation[];
}

/**
 * The answer of `POST /validate-entities`.
 *
 * @internal
 */
export interface BatchValidationResult {
  /** Whether no document is invalid. */
  valid: boolean;
  documents: DocumentResult[];
  /** Entities served from the batch's location that the batch lacks. */
  deleted: Array<{ entityRef: string }>;
  summary: Record<DocumentResult['result'] | 'deleted', number>;
}

/**
 * Where documents come from when the caller names no location: a `url`
 * location that is no URL, so placeholders and Location targets written
 * relative to it fail to resolve instead of reading anything.
 */
const unplacedLocation: LocationSpec = {
  type: 'url',
  target: 'urn:plinth:validate-entities',
};

/** Documents processed at once: enough to overlap placeholder reads. */
const defaultConcurrency = 8;

/** A document that processing accepted, with what it made of it. */
interface Processed {
  document: BatchDocument & { entity: Entity };
  ref: string;
  sent: Entity;
  completed: Entity;
  otherEnds: Array<{ ref: string; relationType: string }>;
  warnings: ValidationIssue[];
}

/**
 * Validates a batch of entity documents as the catalog would process
 * them, without storing anything: runs each through the orchestrator,
 * resolves the targets of their relations against the batch and the
 * entities the caller may read, and compares each with the entity the
 * catalog serves under its ref.
 *
 * @remarks
 * Entities the caller may not read (by `readFilter`) count as absent
 * everywhere: a document for one is `created`, a relation to one is
 * unresolved, and none is reported `deleted`, so the answer is the same
 * whether or not they exist.
 *
 * @internal
 */
export async function validateEntityBatch(options: {
  request: ValidateEntitiesRequest;
  orchestrator: CatalogProcessingOrchestrator;
  entitiesCatalog: EntitiesCatalog;
  readFilter?: EntityPermissionFilter;
  /** `catalog.queryLimits.maxEntityRefs`: refs looked up at a time. */
  maxEntityRefs: number;
  concurrency?: number;
}): Promise<BatchValidationResult> {
  const { request, entitiesCatalog, readFilter, maxEntityRefs } = options;
  const results = new Map<number, DocumentResult>();
  const candidates = claimRefs(request.documents, results);
  const processed: Processed[] = [];
  await forEachBounded(
    candidates,
    options.concurrency ?? defaultConcurrency,
    async candidate => {
      const outcome = await processDocument(
        options.orchestrator,
        candidate,
        request.location,
      );
      if ('errors' in outcome) {
        results.set(candidate.document.index, outcome);
      } else {
        processed.push(outcome);
      }
    },
  );
  const batchRefs = new Set(candidates.map(c => c.ref));
  const [served, existing] = await Promise.all([
    readServed(entitiesCatalog, processed, { readFilter, maxEntityRefs }),
    findUnresolvedRelations(entitiesCatalog, processed, batchRefs, {
      readFilter,
      maxEntityRefs,
    }),
  ]);
  for (const item of processed) {
    const before = served.get(item.ref);
    const diff = before
      ? diffServedEntity({
          sent: item.document.entity,
          processed: item.completed,
          served: before,
          keepServedLocation: request.location === undefined,
          locationRef: stringifyLocationRef(
            request.location ?? unplacedLocation,
          ),
        })
      : undefined;
    results.set(item.document.index, {
      ...describeDocument(item.document, item.completed),
      result: !before ? 'created' : diff!.length ? 'changed' : 'unchanged',
      errors: [],
      warnings: [...item.warnings, ...(existing.get(item.ref) ?? [])],
      ...(diff?.length ? { diff } : {}),
    });
  }
  const deleted = request.location
    ? await findDeletedEntities(entitiesCatalog, {
        location: request.location,
        batchRefs,
        readFilter,
      })
    : [];
  const documents = [...results.values()].sort((a, b) => a.index - b.index);
  return summarize(documents, deleted);
}

/**
 * Refs of the documents that hold an entity, lowercased; a document
 * whose ref an earlier one has is invalid, as is one whose entity
 * another problem already spoiled.
 */
function claimRefs(
  documents: readonly BatchDocument[],
  results: Map<number, DocumentResult>,
): Array<{ document: BatchDocument & { entity: Entity }; ref: string }> {
  const firstIndex = new Map<string, number>();
  const candidates = [];
  for (const document of documents) {
    const { entity } = document;
    const ref = entity ? refOf(entity) : undefined;
    const first = ref === undefined ? undefined : firstIndex.get(ref);
    if (!entity || document.errors.length > 0 || first !== undefined) {
      const duplicate = first !== undefined && {
        message: `Entity '${ref}' is defined more than once in the batch: documents ${first} and ${document.index}. Define each entity in one document only.`,
        path: 'metadata.name',
      };
      results.set(document.index, {
        ...describeDocument(document, entity),
        result: 'invalid',
        errors: [...document.errors, ...(duplicate ? [duplicate] : [])],
        warnings: [],
      });
      continue;
    }
    if (ref !== undefined) {
      firstIndex.set(ref, document.index);
    }
    candidates.push({ document: { ...document, entity }, ref: ref ?? '' });
  }
  return candidates;
}

async function processDocument(
  orchestrator: CatalogProcessingOrchestrator,
  candidate: { document: BatchDocument & { entity: Entity }; ref: string },
  location: LocationSpec | undefined,
): Promise<Processed | DocumentResult> {
  const { document } = candidate;
  const locationRef = stringifyLocationRef(location ?? unplacedLocation);
  const { entity } = document;
  const metadata: Record<string, unknown> = isObject(entity.metadata)
    ? entity.metadata
    : {};
  const annotations = isObject(metadata.annotations)
    ? metadata.annotations
    : {};
  const result = await orchestrator.process({
    // As in POST /validate-entity, the batch's location wins over the
    // annotations of the documents: it decides what placeholders read.
    entity: {
      ...entity,
      metadata: {
        ...metadata,
        annotations: {
          ...annotations,
          [ANNOTATION_LOCATION]: locationRef,
          [ANNOTATION_ORIGIN_LOCATION]: locationRef,
        },
      },
    } as unknown as Entity,
    hideResolvedValues: true,
    // The batch is validated as given: reading what Location documents
    // point to is POST /locations?dryRun's work, bounded there, and here
    // would be reads of any URL on the server's credentials per document.
    readLocationTargets: false,
  });
  if (!result.ok) {
    return {
      ...describeDocument(document, entity),
      result: 'invalid',
      errors: toIssues(result.errors),
      warnings: [],
    };
  }
  const ref = refOf(result.completedEntity) ?? candidate.ref;
  const otherEnds = result.relations.flatMap(relation => {
    const source = stringifyEntityRef(relation.source).toLowerCase();
    const target = stringifyEntityRef(relation.target).toLowerCase();
    if (source === ref) {
      return [{ ref: target, relationType: relation.type }];
    }
    return target === ref ? [] : [{ ref: source, relationType: relation.type }];
  });
  return {
    document,
    ref,
    sent: entity,
    completed: result.completedEntity,
    otherEnds: otherEnds.filter(end => end.ref !== ref),
    // Errors of a successful run only dropped part of its output, such
    // as a child the catalog rules refuse: worth knowing, not fatal.
    warnings: toIssues(result.errors),
  };
}

/** The served entities of the accepted documents, by lowercased ref. */
async function readServed(
  entitiesCatalog: EntitiesCatalog,
  processed: readonly Processed[],
  options: {
    readFilter: EntityPermissionFilter | undefined;
    maxEntityRefs: number;
  },
): Promise<Map<string, Entity>> {
  const refs = processed.map(p => p.ref);
  const items = await lookUpRefs(
    entitiesCatalog,
    { entityRefs: refs, permissionFilter: options.readFilter },
    options.maxEntityRefs,
  );
  const served = new Map<string, Entity>();
  items.forEach((item, i) => {
    if (item !== null) {
      served.set(refs[i], JSON.parse(item) as Entity);
    }
  });
  return served;
}

function describeDocument(
  document: BatchDocument,
  entity: Entity | undefined,
): Pick<DocumentResult, 'index' | 'line' | 'entityRef'> {
  const ref = entity ? refOf(entity, { keepCase: true }) : undefined;
  return {
    index: document.index,
    ...(document.line !== undefined && { line: document.line }),
    ...(ref !== undefined && { entityRef: ref }),
  };
}

/** The ref of what may be an entity, or `undefined` when it names none. */
function refOf(
  entity: Entity,
  options: { keepCase?: boolean } = {},
): string | undefined {
  const metadata: unknown = entity.metadata;
  if (
    typeof entity.kind !== 'string' ||
    !isObject(metadata) ||
    typeof metadata.name !== 'string'
  ) {
    return undefined;
  }
  const namespace =
    typeof metadata.namespace === 'string'
      ? metadata.namespace
      : DEFAULT_NAMESPACE;
  // As stringifyEntityRef writes refs: the kind in lower case.
  const ref = `${entity.kind.toLowerCase()}:${namespace}/${metadata.name}`;
  return options.keepCase ? ref : ref.toLowerCase();
}

function summarize(
  documents: DocumentResult[],
  deleted: Array<{ entityRef: string }>,
): BatchValidationResult {
  const summary = {
    created: 0,
    changed: 0,
    unchanged: 0,
    invalid: 0,
    deleted: deleted.length,
  };
  for (const document of documents) {
    summary[document.result] += 1;
  }
  return { valid: summary.invalid === 0, documents, deleted, summary };
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await task(item);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
