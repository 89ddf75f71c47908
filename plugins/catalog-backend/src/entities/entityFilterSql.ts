/*
 * SQL for entity filters and full-text filters, read from the search
 * index.
 */
import type {
  EntityFilter,
  EntityFilterCondition,
  EntityFullTextFilter,
  EntityPermissionFilter,
  EntityPrefixCondition,
} from './EntitiesCatalog';

/**
 * A query for the ids of the entities that match filter sets, from the
 * search index alone: each condition selects ids by key (and value), a
 * set intersects its conditions, and the sets are united. Keys and values
 * in the index are lowercased, so matching is case-insensitive, and
 * PostgreSQL reads each condition from the `(key, value)` index.
 *
 * @internal
 */
export function buildEntityIdSetSql(filter: EntityFilter): SqlFragment {
  if (filter.length === 0) {
    return { sql: 'SELECT entity_id FROM search WHERE FALSE', bindings: [] };
  }
  const bindings: Array<string | number> = [];
  const sets = filter.map(conditions => {
    if (conditions.length === 0) {
      return 'SELECT entity_id FROM final_entities';
    }
    const parts = conditions.map(c => buildConditionSql(c, bindings));
    return parts.length === 1
      ? parts[0]
      : parts.map(part => `(${part})`).join(' INTERSECT ');
  });
  return {
    sql: sets.length === 1 ? sets[0] : sets.map(s => `(${s})`).join(' UNION '),
    bindings,
  };
}

/**
 * The condition that `entityIdColumn` is the id of an entity that matches
 * the filter sets; see {@link buildEntityIdSetSql}.
 *
 * @internal
 */
export function buildEntityFilterSql(
  filter: EntityFilter,
  entityIdColumn: string,
): SqlFragment {
  const set = buildEntityIdSetSql(filter);
  return { sql: `${entityIdColumn} IN (${set.sql})`, bindings: set.bindings };
}

/**
 * A query for the ids of the entities that a permission filter lets
 * through, from the search index alone, as {@link buildEntityIdSetSql}
 * builds filter sets: each search filter selects ids by key (and values)
 * from the `(key, value)` index, `allOf` intersects, `anyOf` unites and
 * `not` subtracts from all served ids. No part runs once per row, so a
 * conditional decision costs a few index scans and one hash join
 * whatever the size of the catalog.
 *
 * @internal
 */
export function buildPermissionIdSetSql(
  filter: EntityPermissionFilter,
): SqlFragment {
  const bindings: Array<string | number> = [];
  return { sql: buildCriteriaSql(filter, bindings), bindings };
}

function buildCriteriaSql(
  criteria: EntityPermissionFilter,
  bindings: Array<string | number>,
): string {
  if ('allOf' in criteria) {
    return criteria.allOf.length === 0
      ? 'SELECT entity_id FROM final_entities'
      : joinSets(criteria.allOf, 'INTERSECT', bindings);
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.length === 0
      ? 'SELECT entity_id FROM search WHERE FALSE'
      : joinSets(criteria.anyOf, 'UNION', bindings);
  }
  if ('not' in criteria) {
    return `SELECT entity_id FROM final_entities EXCEPT (${buildCriteriaSql(criteria.not, bindings)})`;
  }
  return buildConditionSql(criteria, bindings);
}

function joinSets(
  sets: EntityPermissionFilter[],
  operator: 'INTERSECT' | 'UNION',
  bindings: Array<string | number>,
): string {
  const parts = sets.map(set => buildCriteriaSql(set, bindings));
  return parts.length === 1
    ? parts[0]
    : parts.map(part => `(${part})`).join(` ${operator} `);
}

function buildConditionSql(
  condition: EntityFilterCondition | EntityPrefixCondition,
  bindings: Array<string | number>,
): string {
  return `SELECT entity_id FROM search WHERE ${buildConditionMatchSql(condition, 'search', bindings)}`;
}

/** The condition that a row of `search` (as `table`) matches the filter condition. */
function buildConditionMatchSql(
  condition: EntityFilterCondition | EntityPrefixCondition,
  table: string,
  bindings: Array<string | number>,
): string {
  bindings.push(condition.key.toLowerCase());
  if ('prefix' in condition) {
    const prefix = condition.prefix.toLowerCase();
    bindings.push(`${prefix.replace(likeSpecials, '\\$&')}%`);
    return `${table}.key = ? AND ${table}.value LIKE ? ESCAPE '\\'`;
  }
  const values = condition.values ?? [];
  if (values.length === 0) {
    return `${table}.key = ?`;
  }
  for (const value of values) {
    bindings.push(value.toLowerCase());
  }
  return values.length === 1
    ? `${table}.key = ? AND ${table}.value = ?`
    : `${table}.key = ? AND ${table}.value IN (${values
        .map(() => '?')
        .join(', ')})`;
}

/**
 * The condition that the entity whose id is in `entityIdColumn` passes a
 * permission filter, tested on that entity's own search rows: each search
 * filter is an `EXISTS`, `allOf` is AND, `anyOf` OR and `not` NOT. It
 * selects what {@link buildPermissionIdSetSql} selects, but lets the
 * planner probe the few search rows of the entities found instead of
 * building the whole readable set first (13 instead of 2,061 buffers for
 * one entity among 10,000 on PostgreSQL 15), so lookups of one or
 * a few entities take it; pages and facets, which read much of the set
 * anyway, take the set form.
 *
 * @internal
 */
export function buildPermissionRowSql(
  filter: EntityPermissionFilter,
  entityIdColumn: string,
): SqlFragment {
  const bindings: Array<string | number> = [];
  // Parenthesised, so that an OR of `anyOf` stays within the filter when
  // callers AND it to their own conditions.
  return {
    sql: `(${buildRowCriteriaSql(filter, entityIdColumn, bindings)})`,
    bindings,
  };
}

function buildRowCriteriaSql(
  criteria: EntityPermissionFilter,
  entityIdColumn: string,
  bindings: Array<string | number>,
): string {
  if ('allOf' in criteria || 'anyOf' in criteria) {
    const [parts, operator, whenEmpty] =
      'allOf' in criteria
        ? [criteria.allOf, 'AND', 'TRUE']
        : [criteria.anyOf, 'OR', 'FALSE'];
    return parts.length === 0
      ? whenEmpty
      : parts
          .map(
            part => `(${buildRowCriteriaSql(part, entityIdColumn, bindings)})`,
          )
          .join(` ${operator} `);
  }
  if ('not' in criteria) {
    return `NOT (${buildRowCriteriaSql(criteria.not, entityIdColumn, bindings)})`;
  }
  return `EXISTS (SELECT 1 FROM search s WHERE s.entity_id = ${entityIdColumn} AND ${buildConditionMatchSql(criteria, 's', bindings)})`;
}

/**
 * A piece of SQL with `?` placeholders and their values, in order, ready
 * for `knex.raw`.
 *
 * @internal
 */
export interface SqlFragment {
  sql: string;
  bindings: Array<string | number>;
}

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
  const term = fullTextFilter.term.trim().toLowerCase();
  if (!term) {
    return undefined;
  }
  const fields = fullTextFilter.fields?.length
    ? fullTextFilter.fields
    : [defaultField];
  const keys = fields.map(field => field.toLowerCase());
  return {
    sql: `SELECT entity_id FROM search WHERE key IN (${keys
      .map(() => '?')
      .join(', ')}) AND value LIKE ? ESCAPE '\\'`,
    bindings: [...keys, `%${term.replace(likeSpecials, '\\$&')}%`],
  };
}
