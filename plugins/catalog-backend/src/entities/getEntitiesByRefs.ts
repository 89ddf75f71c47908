import { parseEntityRef, stringifyEntityRef } from '@plinth/catalog-model';
import type { Knex } from 'knex';
import { buildEntityFilterSql } from './buildEntityFilterSql';
import { createEntityProjector } from './createEntityProjector';
import type { EntityJson, GetEntitiesByRefsRequest } from './EntitiesCatalog';

/**
 * The entities with the given refs, in request order, in one query;
 * `null` for refs that name no entity, do not match the filter, or are not
 * refs at all. Refs compare case-insensitively and may leave out the
 * default namespace.
 *
 * @internal
 */
export async function getEntitiesByRefs(
  knex: Knex,
  request: GetEntitiesByRefsRequest,
): Promise<Array<EntityJson | null>> {
  const keys = request.entityRefs.map(toRefKey);
  const unique = [...new Set(keys.filter(key => key !== undefined))];
  if (unique.length === 0) {
    return keys.map(() => null);
  }
  const bindings: Array<string | number> = [...unique];
  let sql = `SELECT fe.entity_ref, fe.final_entity FROM final_entities fe WHERE fe.entity_ref IN (${unique
    .map(() => '?')
    .join(', ')})`;
  if (request.filter) {
    const filter = buildEntityFilterSql(request.filter, 'fe.entity_id');
    sql += ` AND ${filter.sql}`;
    bindings.push(...filter.bindings);
  }
  const result = await knex.raw<{
    rows: Array<{ entity_ref: string; final_entity: string }>;
  }>(sql, bindings);
  const project = request.fields && createEntityProjector(request.fields);
  const found = new Map<string, EntityJson>();
  for (const row of result.rows) {
    found.set(
      row.entity_ref,
      project ? project(row.final_entity) : row.final_entity,
    );
  }
  return keys.map(key => (key === undefined ? null : (found.get(key) ?? null)));
}

/** The stored, lowercased form of a ref, or `undefined` for a malformed one. */
function toRefKey(ref: string): string | undefined {
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
