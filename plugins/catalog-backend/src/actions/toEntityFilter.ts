import { InputError, quoteList } from '@plinth/errors';
import {
  CATALOG_FILTER_EXISTS,
  type EntityFilterQuery,
} from '@plinth/plugin-catalog-node';

type FilterSet = Record<string, string | symbol | Array<string | symbol>>;

const supported = ['$all', '$any', '$exists', '$in'];

/**
 * Turns the predicate query of Backstage's `query-catalog-entities` into
 * the catalog's filter: sets of conditions that all hold, any set
 * matching. Field matching, `$in`, `$exists: true`, `$all` and `$any`
 * translate; other operators (`$not`, `$contains`, `$hasPrefix`) are
 * refused by name, as the catalog's filter cannot express them.
 *
 * @throws {@link @plinth/errors#InputError} naming the part that cannot be
 *   translated.
 * @internal
 */
export function toEntityFilter(
  query: Record<string, unknown>,
): EntityFilterQuery {
  return toSets(query, 'query');
}

function toSets(query: unknown, at: string): FilterSet[] {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw refuse(at, 'must be an object of fields or operators');
  }
  let sets: FilterSet[] = [{}];
  for (const [key, value] of Object.entries(query)) {
    if (key === '$all' || key === '$any') {
      if (!Array.isArray(value)) {
        throw refuse(`${at}.${key}`, 'must be a list of queries');
      }
      const parts = value.map((part, i) => toSets(part, `${at}.${key}[${i}]`));
      const combined =
        key === '$any' ? parts.flat() : parts.reduce(andSets, [{}]);
      sets = andSets(sets, combined);
    } else if (key.startsWith('$')) {
      throw refuse(
        `${at}.${key}`,
        `is not supported; use ${quoteList(supported)}`,
      );
    } else {
      sets = andSets(sets, [{ [key]: toValue(value, `${at}.${key}`) }]);
    }
  }
  return sets;
}

function toValue(value: unknown, at: string): FilterSet[string] {
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return String(value);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const [entry, ...more] = Object.entries(value as Record<string, unknown>);
    if (entry && more.length === 0) {
      const [operator, operand] = entry;
      if (operator === '$exists' && operand === true) {
        return CATALOG_FILTER_EXISTS;
      }
      if (
        operator === '$in' &&
        Array.isArray(operand) &&
        operand.every(v => ['string', 'number', 'boolean'].includes(typeof v))
      ) {
        return operand.map(String);
      }
    }
  }
  throw refuse(
    at,
    `must be a value, { "$in": [values] } or { "$exists": true }, got ${JSON.stringify(value)}`,
  );
}

/** Every pair of sets, merged: (a or b) and (c or d). */
function andSets(left: FilterSet[], right: FilterSet[]): FilterSet[] {
  return left.flatMap(l =>
    right.map(r => {
      const merged: FilterSet = { ...l };
      for (const [key, value] of Object.entries(r)) {
        if (key in merged) {
          throw new InputError(
            `Invalid query for 'query-catalog-entities': the field '${key}' is matched twice in one conjunction, which the catalog's filter cannot express; match it once, with "$in" for several values.`,
          );
        }
        merged[key] = value;
      }
      return merged;
    }),
  );
}

function refuse(at: string, why: string): InputError {
  return new InputError(
    `Invalid query for 'query-catalog-entities': '${at}' ${why}.`,
  );
}
