import type { Knex } from 'knex';
import { buildEntityFilterSql } from './buildEntityFilterSql';
import { buildEntityOrderSql } from './buildEntityOrderSql';
import { createEntityProjector } from './createEntityProjector';
import type {
  ListEntitiesRequest,
  ListEntitiesResponse,
} from './EntitiesCatalog';
import { readEntityRows } from './readEntityRows';
import type { SqlFragment } from './SqlFragment';

/**
 * One page of entities for `GET /entities`, in the requested order (by
 * entity ref by default), starting after a position or at an offset. One
 * row more than the limit is read to tell whether more follow.
 *
 * @internal
 */
export async function listEntities(
  knex: Knex,
  request: ListEntitiesRequest,
): Promise<ListEntitiesResponse> {
  const order = buildEntityOrderSql(request.order ?? [], {
    tieBreaker: 'entity_ref',
  });
  const conditions: SqlFragment[] = [];
  if (request.filter) {
    conditions.push(buildEntityFilterSql(request.filter, 'fe.entity_id'));
  }
  if (request.after) {
    conditions.push(order.after(request.after));
  }
  const rows = await readEntityRows(knex, {
    order,
    conditions,
    limit: request.limit + 1,
    offset: request.offset,
  });
  const hasMore = rows.length > request.limit && request.limit > 0;
  if (hasMore) {
    rows.length = request.limit;
  }
  const project = request.fields && createEntityProjector(request.fields);
  return {
    entities: rows.map(row =>
      project ? project(row.final_entity) : row.final_entity,
    ),
    ...(hasMore && { endPosition: order.positionOf(rows[rows.length - 1]) }),
  };
}
