import type { EntityFullTextFilter } from './EntitiesCatalog';
import type { SqlFragment } from './SqlFragment';

/** `%`, `_` and the escape character itself, which LIKE gives meaning to. */
const likeSpecials = /[\\%_]/g;

/**
 * A query for the ids of the entities that have a search value containing
 * the term, case-insensitively, under one of the filter's fields (or
 * `defaultField`); the term's `%` and `_` match themselves. `undefined`
 * for a blank term.
 *
 * @internal
 */
export function buildFullTextFilterSql(
  fullTextFilter: EntityFullTextFilter,
  defaultField: string,
): SqlFragment | undefined {
  const term = fullTextFilter.term.trim().toLocaleLowerCase('en-US');
  if (!term) {
    return undefined;
  }
  const fields = fullTextFilter.fields?.length
    ? fullTextFilter.fields
    : [defaultField];
  const keys = fields.map(field => field.toLocaleLowerCase('en-US'));
  return {
    sql: `SELECT entity_id FROM search WHERE key IN (${keys
      .map(() => '?')
      .join(', ')}) AND value LIKE ? ESCAPE '\\'`,
    bindings: [...keys, `%${term.replace(likeSpecials, '\\$&')}%`],
  };
}
