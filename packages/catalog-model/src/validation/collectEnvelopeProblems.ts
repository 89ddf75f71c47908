import type { EntityValidationProblem } from '../errors';
import {
  createProblem,
  describeFieldValue,
  isNonEmptyString,
  isPlainObject,
  type FieldRuleChecker,
} from './defaultFieldValidators';

const ROOT_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'spec',
  'relations',
  'status',
]);
const STATUS_LEVELS = new Set(['info', 'warning', 'error']);

/**
 * Every problem of an entity's envelope: the root fields, `apiVersion`,
 * `kind`, `metadata`, and the shapes of `spec`, `relations` and `status`.
 */
export function collectEnvelopeProblems(
  entity: unknown,
  check: FieldRuleChecker,
): EntityValidationProblem[] {
  if (!isPlainObject(entity)) {
    return [
      {
        field: '',
        message: `expected an object with 'apiVersion', 'kind' and 'metadata', got ${describeFieldValue(entity)}`,
      },
    ];
  }
  const problems: Array<EntityValidationProblem | undefined> = [];
  for (const field of Object.keys(entity)) {
    if (!ROOT_FIELDS.has(field)) {
      problems.push(
        createProblem(
          field,
          entity[field],
          'is not a known root field',
          "only 'apiVersion', 'kind', 'metadata', 'spec', 'relations' and 'status' may be at the root, so move it under 'spec' or remove it",
        ),
      );
    }
  }
  problems.push(
    requireRule('apiVersion', entity.apiVersion, check, 'isValidApiVersion'),
    requireRule('kind', entity.kind, check, 'isValidKind'),
    ...collectMetadataProblems(entity.metadata, check),
  );
  if (entity.spec !== undefined && !isPlainObject(entity.spec)) {
    problems.push(createProblem('spec', entity.spec, 'must be an object'));
  }
  problems.push(
    ...collectRelationProblems(entity.relations),
    ...collectStatusProblems(entity.status),
    ...collectPrototypeKeyProblems(entity),
  );
  return problems.filter(problem => problem !== undefined);
}

/**
 * A problem for each object key anywhere in the entity that names a
 * prototype. The walk keeps its own stack, so a deeply nested entity
 * cannot exhaust the call stack.
 */
function collectPrototypeKeyProblems(
  entity: Record<string, unknown>,
): EntityValidationProblem[] {
  const problems: EntityValidationProblem[] = [];
  // Paths are built only for the keys refused: this walk visits every
  // field of every entity processed, and nearly all of them pass.
  const pending: FieldNode[] = [{ value: entity }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value } = next;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) {
        pending.push({ value: value[i], parent: next, index: i });
      }
    } else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        if (isPrototypeKey(key)) {
          const field = toFieldPath({ value: undefined, parent: next, key });
          problems.push(
            createProblem(
              field,
              undefined,
              `uses the key '${key}', which names an object's prototype`,
              "the keys '__proto__', 'constructor' and 'prototype' are refused anywhere in an entity, so rename it",
            ),
          );
        } else {
          pending.push({ value: value[key], parent: next, key });
        }
      }
    }
  }
  return problems.sort((a, b) => (a.field < b.field ? -1 : 1));
}

/** A value met by the prototype-key walk, and how it was reached. */
interface FieldNode {
  value: unknown;
  parent?: FieldNode;
  key?: string;
  index?: number;
}

/** The dotted path of a node, such as `spec.items[2].name`. */
function toFieldPath(node: FieldNode): string {
  const steps: string[] = [];
  for (let n: FieldNode | undefined = node; n?.parent; n = n.parent) {
    steps.push(n.key === undefined ? `[${n.index}]` : `.${n.key}`);
  }
  const path = steps.reverse().join('');
  return path.startsWith('.') ? path.slice(1) : path;
}

function requireRule(
  field: 'apiVersion' | 'kind',
  value: unknown,
  check: FieldRuleChecker,
  rule: 'isValidApiVersion' | 'isValidKind',
): EntityValidationProblem | undefined {
  if (value === undefined || value === null) {
    const example = field === 'kind' ? 'Component' : 'backstage.io/v1alpha1';
    return createProblem(
      field,
      undefined,
      'is required',
      `set it, e.g. to '${example}'`,
    );
  }
  return check(rule, field, value);
}

function collectRelationProblems(
  relations: unknown,
): EntityValidationProblem[] {
  if (relations === undefined) {
    return [];
  }
  if (!Array.isArray(relations)) {
    return [createProblem('relations', relations, 'must be an array')];
  }
  return relations.flatMap((relation, i) => {
    const field = `relations[${i}]`;
    if (!isPlainObject(relation)) {
      return [
        createProblem(
          field,
          relation,
          "must be an object with 'type' and 'targetRef'",
        ),
      ];
    }
    return (['type', 'targetRef'] as const)
      .filter(part => !isNonEmptyString(relation[part]))
      .map(part =>
        createProblem(
          `${field}.${part}`,
          relation[part],
          relation[part] === undefined
            ? 'is required'
            : 'must be a non-empty string',
        ),
      );
  });
}

function collectStatusProblems(status: unknown): EntityValidationProblem[] {
  if (status === undefined) {
    return [];
  }
  if (!isPlainObject(status)) {
    return [createProblem('status', status, 'must be an object')];
  }
  if (status.items === undefined) {
    return [];
  }
  if (!Array.isArray(status.items)) {
    return [createProblem('status.items', status.items, 'must be an array')];
  }
  return status.items.flatMap((item, i) => {
    const field = `status.items[${i}]`;
    if (!isPlainObject(item)) {
      return [
        createProblem(
          field,
          item,
          "must be an object with 'type', 'level' and 'message'",
        ),
      ];
    }
    const problems: EntityValidationProblem[] = [];
    if (!isNonEmptyString(item.type)) {
      problems.push(
        createProblem(`${field}.type`, item.type, 'must be a non-empty string'),
      );
    }
    if (typeof item.level !== 'string' || !STATUS_LEVELS.has(item.level)) {
      problems.push(
        createProblem(
          `${field}.level`,
          item.level,
          "must be one of 'info', 'warning', 'error'",
        ),
      );
    }
    if (typeof item.message !== 'string') {
      problems.push(
        createProblem(`${field}.message`, item.message, 'must be a string'),
      );
    }
    return problems;
  });
}

const NON_EMPTY_STRING = 'must be a non-empty string';

/**
 * Every problem of `metadata`: its identity fields against the field rules,
 * its descriptive fields against their types.
 */
export function collectMetadataProblems(
  metadata: unknown,
  check: FieldRuleChecker,
): EntityValidationProblem[] {
  if (metadata === undefined) {
    return [
      createProblem(
        'metadata',
        undefined,
        'is required',
        "give at least 'metadata.name'",
      ),
    ];
  }
  if (!isPlainObject(metadata)) {
    return [createProblem('metadata', metadata, 'must be an object')];
  }
  const problems: Array<EntityValidationProblem | undefined> = [];
  const { name, namespace, uid, etag, title, description } = metadata;
  problems.push(
    name === undefined || name === null
      ? createProblem('metadata.name', undefined, 'is required')
      : check('isValidEntityName', 'metadata.name', name),
  );
  if (namespace !== undefined) {
    problems.push(check('isValidNamespace', 'metadata.namespace', namespace));
  }
  for (const [field, value] of Object.entries({ uid, etag, title })) {
    if (value !== undefined && !isNonEmptyString(value)) {
      problems.push(
        createProblem(`metadata.${field}`, value, NON_EMPTY_STRING),
      );
    }
  }
  if (description !== undefined && typeof description !== 'string') {
    problems.push(
      createProblem('metadata.description', description, 'must be a string'),
    );
  }
  problems.push(
    ...collectMapProblems(metadata, 'labels', check),
    ...collectMapProblems(metadata, 'annotations', check),
    ...collectTagProblems(metadata.tags, check),
    ...collectLinkProblems(metadata.links),
  );
  return problems.filter(problem => problem !== undefined);
}

function collectMapProblems(
  metadata: Record<string, unknown>,
  map: 'labels' | 'annotations',
  check: FieldRuleChecker,
): Array<EntityValidationProblem | undefined> {
  const entries = metadata[map];
  if (entries === undefined) {
    return [];
  }
  if (!isPlainObject(entries)) {
    return [
      createProblem(`metadata.${map}`, entries, 'must be an object of strings'),
    ];
  }
  const [keyRule, valueRule] =
    map === 'labels'
      ? (['isValidLabelKey', 'isValidLabelValue'] as const)
      : (['isValidAnnotationKey', 'isValidAnnotationValue'] as const);
  return Object.entries(entries).flatMap(([key, value]) => {
    const field = `metadata.${map}.${key}`;
    const keyProblem = check(keyRule, field, key);
    if (typeof value !== 'string') {
      return [keyProblem, createProblem(field, value, 'must be a string')];
    }
    return [keyProblem, check(valueRule, field, value)];
  });
}

function collectTagProblems(
  tags: unknown,
  check: FieldRuleChecker,
): Array<EntityValidationProblem | undefined> {
  if (tags === undefined) {
    return [];
  }
  if (!Array.isArray(tags)) {
    return [
      createProblem('metadata.tags', tags, 'must be an array of strings'),
    ];
  }
  return tags.map((tag, i) => check('isValidTag', `metadata.tags[${i}]`, tag));
}

function collectLinkProblems(links: unknown): EntityValidationProblem[] {
  if (links === undefined) {
    return [];
  }
  if (!Array.isArray(links)) {
    return [
      createProblem('metadata.links', links, 'must be an array of objects'),
    ];
  }
  return links.flatMap((link, i) => {
    const field = `metadata.links[${i}]`;
    if (!isPlainObject(link)) {
      return [createProblem(field, link, "must be an object with a 'url'")];
    }
    const problems: EntityValidationProblem[] = [];
    if (link.url === undefined) {
      problems.push(createProblem(`${field}.url`, undefined, 'is required'));
    } else if (!isAbsoluteUrl(link.url)) {
      problems.push(
        createProblem(
          `${field}.url`,
          link.url,
          "must be an absolute URL, e.g. 'https://example.com/docs'",
        ),
      );
    }
    for (const part of ['title', 'icon', 'type'] as const) {
      if (link[part] !== undefined && !isNonEmptyString(link[part])) {
        problems.push(
          createProblem(`${field}.${part}`, link[part], NON_EMPTY_STRING),
        );
      }
    }
    return problems;
  });
}

function isAbsoluteUrl(value: unknown): boolean {
  return typeof value === 'string' && URL.canParse(value);
}

const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Whether `key` names an object's prototype (`__proto__`, `constructor`,
 * `prototype`). Parsers keep such keys as own keys, but code that copies
 * an entity key by key (a `fields=` projection, a merge) would set the
 * prototype of its copy, or of every object, through them; so no entity
 * may hold one, and no field path may name one.
 *
 * @public
 */
export function isPrototypeKey(key: string): boolean {
  return prototypeKeys.has(key);
}
