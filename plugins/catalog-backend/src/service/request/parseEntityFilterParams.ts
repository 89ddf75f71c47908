import { InputError } from '@plinth/errors';
import type {
  EntityFilter,
  EntityFilterCondition,
} from '../../entities/EntitiesCatalog';
import { findEntityPathProblem, readStringListParam } from './queryParams';
import { overCap, type QueryLimits } from './readQueryLimits';

/**
 * Parses `filter` parameters, as in
 * `?filter=kind=component,spec.type=service&filter=kind=api`: each
 * parameter is a set of comma-separated conditions that must all hold,
 * and an entity matches when one set holds. `key=value` asks for the
 * value, `key` for any value, `key=` for an empty one; the same key twice
 * in one set accepts either value. Keys and values are trimmed and match
 * case-insensitively. Blank sets are ignored. The number of sets and of
 * conditions is capped by `catalog.queryLimits`.
 *
 * @throws InputError naming the parameter, the condition and the fix, or
 *   the limit a request is over.
 * @internal
 */
export function parseEntityFilterParams(
  query: Record<string, unknown>,
  limits: QueryLimits,
): EntityFilter | undefined {
  const texts = readStringListParam(query, 'filter');
  if (texts && texts.length > limits.maxFilterSets) {
    throw overCap(
      'filter',
      texts.length,
      'filter sets',
      'maxFilterSets',
      limits.maxFilterSets,
    );
  }
  const sets = texts
    ?.map(text => parseFilterSet(text, 'filter'))
    .filter(set => set.length > 0);
  if (!sets || sets.length === 0) {
    return undefined;
  }
  assertFilterWithinLimits(sets, limits, 'filter');
  return sets;
}

/**
 * Checks filter sets against `catalog.queryLimits`, wherever they come
 * from: the `filter` parameters, or a cursor the client sent back. Each
 * set and each value becomes a subquery, so their number is the cost.
 *
 * @throws InputError naming the parameter and the limit.
 * @internal
 */
export function assertFilterWithinLimits(
  filter: EntityFilter,
  limits: QueryLimits,
  param: string,
): void {
  if (filter.length > limits.maxFilterSets) {
    throw overCap(
      param,
      filter.length,
      'filter sets',
      'maxFilterSets',
      limits.maxFilterSets,
    );
  }
  const conditions = filter
    .flat()
    .reduce((sum, c) => sum + Math.max(1, c.values?.length ?? 0), 0);
  if (conditions > limits.maxFilterConditions) {
    throw overCap(
      param,
      conditions,
      'filter conditions and values',
      'maxFilterConditions',
      limits.maxFilterConditions,
    );
  }
}

function parseFilterSet(text: string, name: string): EntityFilterCondition[] {
  const byKey = new Map<string, EntityFilterCondition>();
  for (const raw of text.split(',')) {
    const statement = raw.trim();
    if (!statement) {
      continue;
    }
    const equals = statement.indexOf('=');
    const key = (equals === -1 ? statement : statement.slice(0, equals))
      .trim()
      .toLowerCase();
    if (!key) {
      throw new InputError(
        `Invalid query parameter '${name}': condition '${statement}' in '${text}' has no key; write conditions as 'key=value' or 'key', separated by commas, as in 'kind=component,spec.type'.`,
      );
    }
    const problem = findEntityPathProblem(key, false);
    if (problem) {
      throw new InputError(
        `Invalid query parameter '${name}': the key of condition '${statement}' in '${text}' cannot match: ${problem}.`,
      );
    }
    let condition = byKey.get(key);
    if (!condition) {
      condition = { key };
      byKey.set(key, condition);
    }
    if (equals !== -1) {
      (condition.values ??= []).push(statement.slice(equals + 1).trim());
    }
  }
  return [...byKey.values()];
}
