import { InputError } from '@plinth/errors';
import type {
  EntityFilter,
  EntityFilterCondition,
} from '../entities/EntitiesCatalog';
import { findEntityPathProblem } from './findEntityPathProblem';
import { readStringListParam } from './readStringListParam';

/**
 * Parses `filter` parameters, as in
 * `?filter=kind=component,spec.type=service&filter=kind=api`: each
 * parameter is a set of comma-separated conditions that must all hold,
 * and an entity matches when one set holds. `key=value` asks for the
 * value, `key` for any value, `key=` for an empty one; the same key twice
 * in one set accepts either value. Keys and values are trimmed and match
 * case-insensitively. Blank sets are ignored.
 *
 * @throws InputError naming the parameter, the condition and the fix.
 * @internal
 */
export function parseEntityFilterParams(
  query: Record<string, unknown>,
  name = 'filter',
): EntityFilter | undefined {
  const sets = readStringListParam(query, name)
    ?.map(text => parseFilterSet(text, name))
    .filter(set => set.length > 0);
  return sets && sets.length > 0 ? sets : undefined;
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
      .toLocaleLowerCase('en-US');
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
