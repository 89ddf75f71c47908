/*
 * Pages of registered locations that match a predicate, for
 * `POST /locations/by-query`.
 */
import type { Knex } from 'knex';
import type { EntityPermissionFilter } from '../entities/EntitiesCatalog';
import type { Location } from './DefaultLocationService';

/**
 * The fields of a location a predicate may name: its columns, which are
 * never null, so `$exists` holds for each of them.
 *
 * @internal
 */
export const locationFields: readonly string[] = ['id', 'type', 'target'];

/**
 * A page of locations in id order, after `afterId`, that match the
 * criteria a predicate became: field values compare case-insensitively,
 * as they do for entities. The total counts every match.
 *
 * @internal
 */
export async function queryLocationRows(
  knex: Knex,
  request: {
    criteria?: EntityPermissionFilter;
    afterId?: string;
    limit: number;
  },
): Promise<{ items: Location[]; totalItems: number; hasMore: boolean }> {
  const bindings: string[] = [];
  const match = request.criteria
    ? buildCriteriaSql(request.criteria, bindings)
    : 'TRUE';
  const after = request.afterId === undefined ? '' : ' AND id > ?';
  const [rows, count] = await Promise.all([
    knex.raw<{ rows: Location[] }>(
      `SELECT id, type, target FROM locations WHERE (${match})${after} ORDER BY id LIMIT ?`,
      [
        ...bindings,
        ...(request.afterId === undefined ? [] : [request.afterId]),
        request.limit + 1,
      ],
    ),
    knex.raw<{ rows: Array<{ count: number }> }>(
      `SELECT count(*)::int AS count FROM locations WHERE (${match})`,
      bindings,
    ),
  ]);
  const items = rows.rows;
  const hasMore = items.length > request.limit;
  if (hasMore) {
    items.length = request.limit;
  }
  return { items, totalItems: count.rows[0].count, hasMore };
}

/** `%`, `_` and the escape character itself, which LIKE gives meaning to. */
const likeSpecials = /[\\%_]/g;

function buildCriteriaSql(
  criteria: EntityPermissionFilter,
  bindings: string[],
): string {
  if ('allOf' in criteria || 'anyOf' in criteria) {
    const [parts, operator, whenEmpty] =
      'allOf' in criteria
        ? [criteria.allOf, 'AND', 'TRUE']
        : [criteria.anyOf, 'OR', 'FALSE'];
    return parts.length === 0
      ? whenEmpty
      : parts
          .map(part => `(${buildCriteriaSql(part, bindings)})`)
          .join(` ${operator} `);
  }
  if ('not' in criteria) {
    return `NOT (${buildCriteriaSql(criteria.not, bindings)})`;
  }
  // Written into the SQL, so only ever one of the known column names.
  const column = criteria.key.toLowerCase();
  if (!locationFields.includes(column)) {
    throw new Error(
      `Location field '${criteria.key}' is not one of ${locationFields.join(', ')}; the predicate parser should have refused it.`,
    );
  }
  if ('prefix' in criteria) {
    const prefix = criteria.prefix.toLowerCase();
    bindings.push(`${prefix.replace(likeSpecials, '\\$&')}%`);
    return `lower(${column}) LIKE ? ESCAPE '\\'`;
  }
  const values = criteria.values ?? [];
  if (values.length === 0) {
    return 'TRUE';
  }
  bindings.push(...values.map(value => value.toLowerCase()));
  return `lower(${column}) IN (${values.map(() => '?').join(', ')})`;
}
