import type { Knex } from 'knex';
import type { EntityOrderRow, EntityOrderSql } from './buildEntityOrderSql';
import type { SqlFragment } from './SqlFragment';

/**
 * A row of {@link readEntityRows}: the served JSON and the order columns.
 *
 * @internal
 */
export interface EntityRow extends EntityOrderRow {
  final_entity: string;
}

/**
 * Reads up to `limit` served entities that meet every condition, in the
 * given order, skipping `offset` of them.
 *
 * @internal
 */
export async function readEntityRows(
  knex: Knex,
  options: {
    order: EntityOrderSql;
    conditions: SqlFragment[];
    limit: number;
    offset?: number;
  },
): Promise<EntityRow[]> {
  const { order, conditions, limit, offset } = options;
  const bindings = [
    ...order.joins.bindings,
    ...conditions.flatMap(c => c.bindings),
    limit,
  ];
  if (offset) {
    bindings.push(offset);
  }
  const result = await knex.raw<{ rows: EntityRow[] }>(
    `SELECT fe.final_entity, ${order.columns} FROM final_entities fe${order.joins.sql}${toWhereSql(conditions)} ORDER BY ${order.orderBy} LIMIT ?${offset ? ' OFFSET ?' : ''}`,
    bindings,
  );
  return result.rows;
}

/** A `WHERE` clause that requires every condition; empty without any. */
function toWhereSql(conditions: SqlFragment[]): string {
  return conditions.length > 0
    ? ` WHERE ${conditions.map(c => c.sql).join(' AND ')}`
    : '';
}
