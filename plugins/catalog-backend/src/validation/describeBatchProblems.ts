import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@plinth/catalog-model';
import { describeErrorChain, InputError } from '@plinth/errors';
import type {
  EntitiesCatalog,
  EntityPermissionFilter,
} from '../entities/EntitiesCatalog';
import type { ValidationIssue } from '../service/request/parseValidateEntitiesRequest';
import { lookUpRefs } from './lookUpRefs';

/**
 * The problems of a processing run as issues with field paths: each
 * problem of an entity validation error on its own, with its `field`; any
 * other error as its chain of causes on one line, with the `field` of the
 * first error in the chain that has one.
 *
 * @internal
 */
export function toIssues(errors: readonly Error[]): ValidationIssue[] {
  return errors.flatMap(error => {
    const chain = causesOf(error);
    const validation = chain.find(isValidationError);
    if (validation) {
      return validation.problems.map(problem => ({
        message: problem.message,
        ...(problem.field && { path: problem.field }),
      }));
    }
    const field = chain
      .map(item => (item as { field?: unknown }).field)
      .find(value => typeof value === 'string' && value !== '');
    return [
      {
        message: describeErrorChain(error).replace(/\n\s*/g, ' '),
        ...(typeof field === 'string' && { path: field }),
      },
    ];
  });
}

interface ValidationErrorLike extends Error {
  problems: Array<{ field: string; message: string }>;
}

/** By name, as the error may come from another copy of the model package. */
function isValidationError(error: Error): error is ValidationErrorLike {
  return (
    error.name === 'EntityValidationError' &&
    Array.isArray((error as { problems?: unknown }).problems)
  );
}

function causesOf(error: Error): Error[] {
  const chain: Error[] = [];
  for (
    let current: unknown = error;
    current instanceof Error && !chain.includes(current);
    current = current.cause
  ) {
    chain.push(current);
  }
  return chain;
}

/**
 * Distinct relation targets outside one batch that it may look up: ten
 * lookups of the default `maxEntityRefs`, far above what 500 documents
 * written by hand point to.
 *
 * @internal
 */
export const maxBatchRelationTargets = 10_000;

/** An accepted document, and the other ends of the relations it emits. */
interface RelatedEntity {
  ref: string;
  /** The document as sent, and as processing completed it. */
  sent: Entity;
  completed: Entity;
  otherEnds: Array<{ ref: string; relationType: string }>;
}

/**
 * A warning for each relation whose other end is neither in the batch nor
 * among the entities the caller may read, by the lowercased ref of the
 * document that emits it. The catalog stores such a relation anyway, as
 * Backstage does; it dangles until the target appears. The targets are
 * looked up `maxEntityRefs` at a time.
 *
 * @throws InputError when the batch's relations point to more than
 *   {@link maxBatchRelationTargets} entities outside it.
 * @internal
 */
export async function findUnresolvedRelations(
  entitiesCatalog: EntitiesCatalog,
  documents: readonly RelatedEntity[],
  batchRefs: ReadonlySet<string>,
  options: {
    readFilter: EntityPermissionFilter | undefined;
    maxEntityRefs: number;
  },
): Promise<Map<string, ValidationIssue[]>> {
  const outside = [
    ...new Set(
      documents.flatMap(d =>
        d.otherEnds.map(end => end.ref).filter(ref => !batchRefs.has(ref)),
      ),
    ),
  ];
  if (outside.length > maxBatchRelationTargets) {
    throw new InputError(
      `Invalid request body for POST /validate-entities: the relations of its documents point to ${outside.length} entities outside the batch, more than the ${maxBatchRelationTargets} one batch may look up. Split the documents over several requests.`,
    );
  }
  const found = await lookUpRefs(
    entitiesCatalog,
    {
      entityRefs: outside,
      permissionFilter: options.readFilter,
      fields: ['kind'],
    },
    options.maxEntityRefs,
  );
  const missing = new Set(outside.filter((_, i) => found[i] === null));
  const warnings = new Map<string, ValidationIssue[]>();
  for (const document of documents) {
    const seen = new Set<string>();
    const issues: ValidationIssue[] = [];
    let sentPaths: ReturnType<typeof indexRefPaths> | undefined;
    let completedPaths: ReturnType<typeof indexRefPaths> | undefined;
    for (const end of document.otherEnds) {
      if (!missing.has(end.ref) || seen.has(end.ref)) {
        continue;
      }
      seen.add(end.ref);
      // A ref the caller did not write came from processing, such as a
      // placeholder that read a file; its value is not the caller's to see.
      sentPaths ??= indexRefPaths(document.sent);
      const written = sentPaths(end.ref);
      completedPaths ??= written
        ? undefined
        : indexRefPaths(document.completed);
      const path = written ?? completedPaths?.(end.ref);
      const target = written
        ? `'${end.ref}'`
        : 'an entity (its ref came from processing, so it is not shown)';
      issues.push({
        message: `Relation '${end.relationType}' ${path ? `from '${path}' ` : ''}points to ${target}, which is neither in the batch nor in the catalog. The catalog keeps it as a dangling relation; add the entity, or fix the ref.`,
        ...(path && { path }),
      });
    }
    if (issues.length > 0) {
      warnings.set(document.ref, issues);
    }
  }
  return warnings;
}

/**
 * For a ref, the dotted path of the first string in the entity's `spec`
 * that is a ref to it, read with the target's kind and the entity's
 * namespace as defaults, as the processors that emit relations read them.
 * Each string is parsed once, so a spec with thousands of refs costs one
 * walk, not one per unresolved target.
 */
function indexRefPaths(
  entity: Entity,
): (targetRef: string) => string | undefined {
  // The document as sent may not be an entity's shape at all.
  const metadata = entity.metadata as { namespace?: unknown } | undefined;
  const namespace = metadata?.namespace;
  const context = {
    defaultKind: kindless,
    defaultNamespace: typeof namespace === 'string' ? namespace : undefined,
  };
  /** By lowercased ref, and by `namespace/name` for refs without a kind. */
  const withKind = new Map<string, { path: string; order: number }>();
  const withoutKind = new Map<string, { path: string; order: number }>();
  const pending: Array<{ value: unknown; path: string }> = [
    { value: entity.spec, path: 'spec' },
  ];
  let order = 0;
  for (let next = pending.shift(); next; next = pending.shift()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      const ref = tryParseRef(value, context);
      if (ref) {
        const [index, key] =
          ref.kind === kindless
            ? [withoutKind, `${ref.namespace}/${ref.name}`]
            : [withKind, stringifyEntityRef(ref)];
        const lower = key.toLowerCase();
        if (!index.has(lower)) {
          index.set(lower, { path, order });
        }
        order += 1;
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) =>
        pending.push({ value: item, path: `${path}[${i}]` }),
      );
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        pending.push({ value: item, path: `${path}.${key}` });
      }
    }
  }
  return targetRef => {
    const full = withKind.get(targetRef);
    const short = withoutKind.get(targetRef.slice(targetRef.indexOf(':') + 1));
    const first = !full
      ? short
      : !short
        ? full
        : full.order < short.order
          ? full
          : short;
    return first?.path;
  };
}

/** Stands for the kind a ref without one takes from its relation's target. */
const kindless = '\u0000';

function tryParseRef(
  value: string,
  context: { defaultKind: string; defaultNamespace?: string },
): ReturnType<typeof parseEntityRef> | undefined {
  try {
    return parseEntityRef(value, context);
  } catch {
    return undefined;
  }
}
