import type { EntityValidationProblem } from './EntityValidationError';
import type { FieldRuleChecker } from './createFieldRuleChecker';
import { collectMetadataProblems } from './collectMetadataProblems';
import { createProblem } from './createProblem';
import { describeFieldValue } from './describeFieldValue';
import { isNonEmptyString } from './isNonEmptyString';
import { isPlainObject } from './isPlainObject';
import { isPrototypeKey } from './isPrototypeKey';

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
  const pending: Array<{ value: unknown; path: string }> = [
    { value: entity, path: '' },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        pending.push({ value: item, path: `${path}[${i}]` }),
      );
    } else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        const field = path ? `${path}.${key}` : key;
        if (isPrototypeKey(key)) {
          problems.push(
            createProblem(
              field,
              undefined,
              `uses the key '${key}', which names an object's prototype`,
              "the keys '__proto__', 'constructor' and 'prototype' are refused anywhere in an entity, so rename it",
            ),
          );
        } else {
          pending.push({ value: value[key], path: field });
        }
      }
    }
  }
  return problems.sort((a, b) => (a.field < b.field ? -1 : 1));
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
