import type { Knex } from 'knex';
import { buildEntityFilterSql } from './buildEntityFilterSql';
import type {
  EntityFacetsResponse,
  GetEntityFacetsRequest,
} from './EntitiesCatalog';

interface FacetRow {
  key: string;
  value: string;
  count: number;
}

/**
 * For each facet (a dotted path), its distinct values as written in the
 * entities, with the number of matching entities that have each; most
 * common first. Rows are counted, not distinct entities: the search index
 * holds each key and value once per entity (see `buildEntitySearch`), so
 * an entity with a value twice in an array counts once, and the count
 * needs no sort.
 *
 * @internal
 */
export async function getEntityFacets(
  knex: Knex,
  request: GetEntityFacetsRequest,
): Promise<EntityFacetsResponse> {
  const keys = [
    ...new Set(request.facets.map(facet => facet.toLocaleLowerCase('en-US'))),
  ];
  const bindings: Array<string | number> = [...keys];
  let sql = `SELECT key, original_value AS value, count(*)::int AS count FROM search WHERE key IN (${keys
    .map(() => '?')
    .join(', ')}) AND original_value IS NOT NULL`;
  if (request.filter) {
    const filter = buildEntityFilterSql(request.filter, 'search.entity_id');
    sql += ` AND ${filter.sql}`;
    bindings.push(...filter.bindings);
  }
  sql += ' GROUP BY key, original_value ORDER BY count DESC, value ASC';
  const result = await knex.raw<{ rows: FacetRow[] }>(sql, bindings);

  const byKey = new Map<string, Array<{ value: string; count: number }>>();
  for (const row of result.rows) {
    let values = byKey.get(row.key);
    if (!values) {
      values = [];
      byKey.set(row.key, values);
    }
    values.push({ value: row.value, count: row.count });
  }
  const facets: EntityFacetsResponse['facets'] = {};
  for (const facet of request.facets) {
    facets[facet] = byKey.get(facet.toLocaleLowerCase('en-US')) ?? [];
  }
  return { facets };
}
