/*
 * Pages of served entities: `GET /entities` by offset or position, and
 * the cursor pages of `GET /entities/by-query`.
 */
import type { Knex } from 'knex';
import {
  buildEntityIdSetSql,
  buildFullTextFilterSql,
  type SqlFragment,
  buildEntityFilterSql,
  buildPermissionIdSetSql,
} from './entityFilterSql';
import {
  buildEntityOrderSql,
  type EntityOrderSql,
  type EntityOrderRow,
} from './buildEntityOrderSql';
import { createEntityProjector } from './createEntityProjector';
import type {
  EntityPosition,
  QueryEntitiesCursor,
  QueryEntitiesInitialRequest,
  QueryEntitiesRequest,
  QueryEntitiesResponse,
  ListEntitiesRequest,
  ListEntitiesResponse,
} from './EntitiesCatalog';

/** What the first page and every cursor after it share. */
type EntitiesQuery = Pick<
  QueryEntitiesCursor,
  'filter' | 'orderFields' | 'fullTextFilter'
>;

/**
 * One page of `GET /entities/by-query`, ordered by the order fields and
 * then by uid, as Backstage does: filtered pages in uid order are read
 * straight off the search index. The first page counts the total (unless
 * excluded); cursors carry the query, the total and a position, so later
 * pages seek from that position (keyset) and never count again. Going
 * backwards reads in the inverted order and reverses the rows.
 *
 * @internal
 */
export async function queryEntitiesByCursor(
  knex: Knex,
  request: QueryEntitiesRequest,
): Promise<QueryEntitiesResponse> {
  const { limit } = request;
  const cursor = 'cursor' in request.query ? request.query.cursor : undefined;
  const initial: QueryEntitiesInitialRequest | undefined =
    'cursor' in request.query ? undefined : request.query;
  const query: EntitiesQuery =
    'cursor' in request.query ? request.query.cursor : request.query;
  const backwards = cursor?.isPrevious ?? false;
  const order = buildEntityOrderSql(query.orderFields, {
    tieBreaker: 'entity_id',
    backwards,
  });
  const idSets = toIdSets(query);
  if (request.permissionFilter) {
    idSets.push(buildPermissionIdSetSql(request.permissionFilter));
  }
  const conditions = idSets.map(set => ({
    sql: `fe.entity_id IN (${set.sql})`,
    bindings: set.bindings,
  }));
  if (cursor) {
    conditions.push(order.after(cursor.position));
  }

  const [totalItems, rows] = await Promise.all([
    initial?.totalItems === 'include'
      ? countEntities(knex, idSets)
      : (cursor?.totalItems ?? 0),
    limit > 0
      ? readEntityRows(knex, {
          order,
          conditions,
          limit: backwards ? limit : limit + 1,
          offset: initial?.offset,
        })
      : [],
  ]);
  if (backwards) {
    rows.reverse();
  }
  const hasMore = limit > 0 && (backwards || rows.length > limit);
  if (rows.length > limit) {
    rows.length = limit;
  }

  const project = request.fields && createEntityProjector(request.fields);
  return {
    items: rows.map(row =>
      project ? project(row.final_entity) : row.final_entity,
    ),
    totalItems,
    ...toCursors({ query, cursor, order, rows, hasMore, totalItems }),
  };
}

/** The id sets an entity must be in: the filter's and the full text filter's. */
function toIdSets(query: EntitiesQuery): SqlFragment[] {
  const idSets: SqlFragment[] = [];
  if (query.filter) {
    idSets.push(buildEntityIdSetSql(query.filter));
  }
  const textIdSet =
    query.fullTextFilter &&
    buildFullTextFilterSql(
      query.fullTextFilter,
      query.orderFields[0]?.field ?? 'metadata.uid',
    );
  if (textIdSet) {
    idSets.push(textIdSet);
  }
  return idSets;
}

/**
 * Counts from the search index alone when there are conditions: every
 * indexed id belongs to a served entity, and the served JSON is far
 * larger to scan than the index.
 */
async function countEntities(
  knex: Knex,
  idSets: SqlFragment[],
): Promise<number> {
  const matched =
    idSets.length === 1
      ? idSets[0].sql
      : idSets.map(set => `(${set.sql})`).join(' INTERSECT ');
  const result = await knex.raw<{ rows: Array<{ count: number }> }>(
    `SELECT count(*)::int AS count FROM ${idSets.length === 0 ? 'final_entities' : `(${matched}) matched`}`,
    idSets.flatMap(set => set.bindings),
  );
  return result.rows[0].count;
}

/**
 * The cursor to the next page when more follow, and to the previous one
 * unless this page starts the result, as Backstage decides them.
 */
function toCursors(page: {
  query: EntitiesQuery;
  cursor?: QueryEntitiesCursor;
  order: EntityOrderSql;
  rows: EntityRow[];
  hasMore: boolean;
  totalItems: number;
}): Pick<QueryEntitiesResponse, 'nextCursor' | 'prevCursor'> {
  const { query, cursor, order, rows, hasMore, totalItems } = page;
  if (rows.length === 0) {
    return {};
  }
  const firstRowPosition = order.positionOf(rows[0]);
  const base = {
    ...(query.filter && { filter: query.filter }),
    orderFields: query.orderFields,
    ...(query.fullTextFilter && { fullTextFilter: query.fullTextFilter }),
    firstPosition: cursor?.firstPosition ?? firstRowPosition,
    totalItems,
  };
  return {
    ...(hasMore && {
      nextCursor: {
        ...base,
        position: order.positionOf(rows[rows.length - 1]),
        isPrevious: false,
      },
    }),
    ...(cursor &&
      !isSamePosition(firstRowPosition, base.firstPosition) && {
        prevCursor: { ...base, position: firstRowPosition, isPrevious: true },
      }),
  };
}

function isSamePosition(a: EntityPosition, b: EntityPosition): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

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
  if (request.permissionFilter) {
    const allowed = buildPermissionIdSetSql(request.permissionFilter);
    conditions.push({
      sql: `fe.entity_id IN (${allowed.sql})`,
      bindings: allowed.bindings,
    });
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
