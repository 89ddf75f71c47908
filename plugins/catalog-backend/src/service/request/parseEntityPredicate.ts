/*
 * Predicate queries (the `query` of `POST /entities/by-query`,
 * `/entity-facets`, `/entities/by-refs` and `/locations/by-query`), in the
 * grammar of `@backstage/filter-predicates`, read into the criteria tree
 * the permission filter already is, so that entity routes AND the two and
 * every read runs them as one set of SQL.
 */
import { InputError, quoteList } from '@plinth/errors';
import type { EntitiesSearchFilter } from '@plinth/plugin-catalog-node';
import type {
  EntityPermissionFilter,
  EntityPrefixCondition,
} from '../../entities/EntitiesCatalog';
import { containsNul, nulProblem } from './nulCharacter';
import { describeInput } from './requestBody';
import { findEntityPathProblem } from './queryParams';
import type { QueryLimits } from './readQueryLimits';

const logicalOperators = ['$all', '$any', '$not'];
const valueOperators = ['$exists', '$in', '$hasPrefix', '$contains'];

/**
 * Reads a predicate: `$all` (every one), `$any` (at least one) and `$not`
 * of predicates, or an object of field paths, all of which must match,
 * each to a primitive (equal, case-insensitively; numbers and booleans as
 * text), `{ $exists: boolean }`, `{ $in: primitive[] }`,
 * `{ $hasPrefix: string }` or `{ $contains: primitive }` (an array field
 * has the item). Nesting is capped by `catalog.queryLimits.maxPredicateDepth`,
 * terms (predicate objects, field conditions, `$in` values) by
 * `maxPredicateConditions`.
 *
 * @param where - names the predicate in messages, such as
 *   `'query' in the body of POST /entities/by-query`.
 * @throws InputError naming the path in the predicate, what was wrong
 *   there and the form expected, or the cap that was passed.
 * @internal
 */
export function parseEntityPredicate(
  value: unknown,
  where: string,
  limits: QueryLimits,
): EntityPermissionFilter {
  return parsePredicate(value, where, limits, key =>
    findEntityPathProblem(key, false),
  );
}

/**
 * Reads a predicate as {@link parseEntityPredicate} does, over the fields
 * that `findFieldProblem` accepts, such as the columns of a location.
 *
 * @throws InputError as {@link parseEntityPredicate}.
 * @internal
 */
export function parsePredicate(
  value: unknown,
  where: string,
  limits: QueryLimits,
  findFieldProblem: (key: string) => string | undefined,
): EntityPermissionFilter {
  const reader = new PredicateReader(where, limits, findFieldProblem);
  if (!isRecord(value)) {
    throw reader.fail(
      'query',
      `expected an object such as { "kind": "component" }, got ${describeInput(value)}; a bare value names no field to match`,
    );
  }
  return reader.predicate(value, 'query', 1);
}

/**
 * The entities a caller may read that also match a predicate: both
 * criteria ANDed, so every read applies them in one piece of SQL.
 *
 * @internal
 */
export function narrowFilter(
  permissionFilter: EntityPermissionFilter | undefined,
  criteria: EntityPermissionFilter | undefined,
): EntityPermissionFilter | undefined {
  if (!criteria) {
    return permissionFilter;
  }
  return permissionFilter ? { allOf: [permissionFilter, criteria] } : criteria;
}

class PredicateReader {
  readonly #where: string;
  readonly #limits: QueryLimits;
  readonly #findFieldProblem: (key: string) => string | undefined;
  #terms = 0;

  constructor(
    where: string,
    limits: QueryLimits,
    findFieldProblem: (key: string) => string | undefined,
  ) {
    this.#where = where;
    this.#limits = limits;
    this.#findFieldProblem = findFieldProblem;
  }

  predicate(
    value: unknown,
    path: string,
    depth: number,
  ): EntityPermissionFilter {
    if (depth > this.#limits.maxPredicateDepth) {
      throw new InputError(
        `Invalid ${this.#where}: it nests deeper than the ${this.#limits.maxPredicateDepth} levels of objects, '$all', '$any' and '$not' that 'catalog.queryLimits.maxPredicateDepth' allows, at '${path}'. Flatten it, as in { "$all": [a, b, c] } instead of nested pairs.`,
      );
    }
    this.#count(1);
    if (!isRecord(value)) {
      throw this.fail(
        path,
        `expected a predicate object, got ${describeInput(value)}; wrap a value in a field, as in { "kind": ${describeInput(value)} }`,
      );
    }
    const keys = Object.keys(value);
    const operator = keys.find(key => key.startsWith('$'));
    if (operator === undefined) {
      return combine(
        'allOf',
        keys.map(key => this.#field(key, value[key], path)),
      );
    }
    if (!logicalOperators.includes(operator)) {
      throw this.fail(
        `${path}.${operator}`,
        `unknown operator; the logical ones are ${quoteList(logicalOperators, 'and')}, and ${quoteList(valueOperators, 'and')} belong under a field, as in { "spec.type": { "$in": ["service"] } }`,
      );
    }
    if (keys.length > 1) {
      throw this.fail(
        path,
        `'${operator}' must stand alone in its object, got the keys ${quoteList(keys, 'and')}; put the other conditions inside an '$all'`,
      );
    }
    const operand = value[operator];
    if (operator === '$not') {
      return { not: this.predicate(operand, `${path}.$not`, depth + 1) };
    }
    if (!Array.isArray(operand)) {
      throw this.fail(
        `${path}.${operator}`,
        `expected a list of predicates, got ${describeInput(operand)}`,
      );
    }
    const parts = operand.map((item, index) =>
      this.predicate(item, `${path}.${operator}[${index}]`, depth + 1),
    );
    return combine(operator === '$all' ? 'allOf' : 'anyOf', parts);
  }

  /** One field of a field expression and what its value must be. */
  #field(key: string, matcher: unknown, path: string): EntityPermissionFilter {
    const at = `${path}.${key}`;
    if (containsNul(key) || containsNul(matcher)) {
      throw this.fail(at, nulProblem);
    }
    const problem = this.#findFieldProblem(key);
    if (problem) {
      throw this.fail(at, `the field cannot match: ${problem}`);
    }
    if (isPrimitive(matcher)) {
      return this.#condition({ key, values: [toText(matcher)] });
    }
    const [operator, ...extra] = isRecord(matcher) ? Object.keys(matcher) : [];
    if (!operator || extra.length > 0 || !valueOperators.includes(operator)) {
      throw this.fail(
        at,
        `expected a string, number or boolean, or one of ${quoteList(valueOperators, 'or')} alone in an object, got ${describeInput(matcher)}`,
      );
    }
    const operand = (matcher as Record<string, unknown>)[operator];
    const operandPath = `${at}.${operator}`;
    switch (operator) {
      case '$exists':
        if (typeof operand !== 'boolean') {
          throw this.fail(
            operandPath,
            `expected true or false, got ${describeInput(operand)}`,
          );
        }
        return operand
          ? this.#condition({ key })
          : { not: this.#condition({ key }) };
      case '$in':
        if (!Array.isArray(operand) || !operand.every(isPrimitive)) {
          throw this.fail(
            operandPath,
            `expected a list of strings, numbers or booleans, got ${describeInput(operand)}`,
          );
        }
        // An empty list has no value to match, so it matches nothing, as
        // an empty `$any` does.
        return operand.length === 0
          ? combine('anyOf', [])
          : this.#condition({ key, values: operand.map(toText) });
      case '$hasPrefix':
        if (typeof operand !== 'string') {
          throw this.fail(
            operandPath,
            `expected a string, got ${describeInput(operand)}`,
          );
        }
        return this.#condition({ key, prefix: operand });
      default:
        return this.#contains(key, operand, operandPath);
    }
  }

  /**
   * The search index holds each item of an array as a value of the
   * array's path, so "has the item" is equality on that path; items that
   * are objects are flattened into paths of their own, so a predicate
   * over one item's fields cannot be told from one over several items'.
   */
  #contains(
    key: string,
    operand: unknown,
    path: string,
  ): EntityPermissionFilter {
    if (!isPrimitive(operand)) {
      throw this.fail(
        path,
        `only a string, number or boolean item is supported, got ${describeInput(operand)}; the catalog indexes the fields of array items apart from each other, so match them as fields, as in { "${key}.<field>": "value" }`,
      );
    }
    return this.#condition({ key, values: [toText(operand)] });
  }

  #condition(
    condition: EntitiesSearchFilter | EntityPrefixCondition,
  ): EntitiesSearchFilter | EntityPrefixCondition {
    this.#count('values' in condition ? (condition.values?.length ?? 1) : 1);
    return condition;
  }

  /**
   * Counts terms: each becomes a subquery, so their number is the cost,
   * and empty objects count too, or `$any` of many `{}` would be free.
   */
  #count(terms: number): void {
    this.#terms += terms;
    if (this.#terms > this.#limits.maxPredicateConditions) {
      throw new InputError(
        `Invalid ${this.#where}: it has more than the ${this.#limits.maxPredicateConditions} terms (predicate objects, field conditions and '$in' values) that 'catalog.queryLimits.maxPredicateConditions' allows. Ask for fewer, or split the query.`,
      );
    }
  }

  fail(path: string, reason: string): InputError {
    return new InputError(`Invalid ${this.#where} at '${path}': ${reason}.`);
  }
}

/**
 * `allOf` or `anyOf` of the parts. Criteria from permission policies
 * never hold empty lists, so their type has none, but predicates may: the
 * SQL builder reads an empty `allOf` as every entity and an empty `anyOf`
 * as none, as `$all: []` and `$any: []` mean.
 */
function combine(
  operator: 'allOf' | 'anyOf',
  parts: EntityPermissionFilter[],
): EntityPermissionFilter {
  if (parts.length === 1) {
    return parts[0];
  }
  return { [operator]: parts } as unknown as EntityPermissionFilter;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'boolean'
  );
}

/** As the stitcher indexes numbers and booleans: their text. */
function toText(value: string | number | boolean): string {
  return String(value);
}
