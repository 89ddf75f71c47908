/*
 * Reads of served entities by ref and uid, facets and ancestry.
 */
import {
  parseEntityRef,
  stringifyEntityRef,
  DEFAULT_NAMESPACE,
  type Entity,
} from '@plinth/catalog-model';
import type { Knex } from 'knex';
import {
  buildEntityFilterSql,
  buildPermissionIdSetSql,
  buildPermissionRowSql,
} from './entityFilterSql';
import { createEntityProjector } from './createEntityProjector';
import type {
  EntityJson,
  GetEntitiesByRefsRequest,
  EntityFacetsResponse,
  GetEntityFacetsRequest,
  EntityAncestryResponse,
  EntityPermissionFilter,
} from './EntitiesCatalog';
import { NotFoundError } from '@plinth/errors';

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
  if (request.permissionFilter) {
    const allowed = buildPermissionRowSql(
      request.permissionFilter,
      'fe.entity_id',
    );
    sql += ` AND ${allowed.sql}`;
    bindings.push(...allowed.bindings);
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
    return stringifyEntityRef(parseEntityRef(ref)).toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The served entities with these lowercased refs that pass the permission
 * filter, if any, by ref; the hot path of `GET /entities/by-name`, batched
 * by {@link BatchedLookup}, one lookup on the unique ref index plus a few
 * index probes per entity found for the filter.
 *
 * @internal
 */
export async function getEntitiesByLowerRefs(
  knex: Knex,
  lowerRefs: string[],
  permissionFilter?: EntityPermissionFilter,
): Promise<Map<string, EntityJson>> {
  const query = knex('final_entities as fe')
    .whereIn('fe.entity_ref', lowerRefs)
    .select<Array<{ entity_ref: string; final_entity: string }>>(
      'fe.entity_ref',
      'fe.final_entity',
    );
  if (permissionFilter) {
    const allowed = buildPermissionRowSql(permissionFilter, 'fe.entity_id');
    query.whereRaw(allowed.sql, allowed.bindings);
  }
  const rows = await query;
  return new Map(rows.map(row => [row.entity_ref, row.final_entity]));
}

/**
 * The served entity whose `metadata.uid` is `uid` (the stitcher gives each
 * entity its refresh state id as uid), or `undefined`.
 *
 * @internal
 */
export async function getEntityByUid(
  knex: Knex,
  uid: string,
  permissionFilter?: EntityPermissionFilter,
): Promise<EntityJson | undefined> {
  return getOneEntity(knex, 'entity_id', uid, permissionFilter);
}

/**
 * The served entity whose column (the uid or the lowercased ref) has the
 * value and that passes the permission filter, or `undefined`; one index
 * lookup, plus the filter's index probes of that entity when there is one.
 *
 * @internal
 */
export async function getOneEntity(
  knex: Knex,
  column: 'entity_id' | 'entity_ref',
  value: string,
  permissionFilter?: EntityPermissionFilter,
): Promise<EntityJson | undefined> {
  let sql = `SELECT fe.final_entity FROM final_entities fe WHERE fe.${column} = ?`;
  const bindings: Array<string | number> = [value];
  if (permissionFilter) {
    const allowed = buildPermissionRowSql(permissionFilter, 'fe.entity_id');
    sql += ` AND ${allowed.sql}`;
    bindings.push(...allowed.bindings);
  }
  const result = await knex.raw<{ rows: Array<{ final_entity: string }> }>(
    sql,
    bindings,
  );
  return result.rows[0]?.final_entity;
}

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
  const keys = [...new Set(request.facets.map(facet => facet.toLowerCase()))];
  const bindings: Array<string | number> = [...keys];
  let sql = `SELECT key, original_value AS value, count(*)::int AS count FROM search WHERE key IN (${keys
    .map(() => '?')
    .join(', ')}) AND original_value IS NOT NULL`;
  if (request.filter) {
    const filter = buildEntityFilterSql(request.filter, 'search.entity_id');
    sql += ` AND ${filter.sql}`;
    bindings.push(...filter.bindings);
  }
  if (request.permissionFilter) {
    // The set form: facets count over much of the readable set, which
    // one hash join of it serves better than a probe per search row.
    const allowed = buildPermissionIdSetSql(request.permissionFilter);
    sql += ` AND search.entity_id IN (${allowed.sql})`;
    bindings.push(...allowed.bindings);
  }
  // The lowercased value is the value as written lowercased, so adding it
  // to the group changes no group, and lets the rows be counted in the
  // order of the search index, with no sort or hash of every row.
  sql +=
    ' GROUP BY key, search.value, original_value ORDER BY count DESC, original_value ASC';
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
    facets[facet] = byKey.get(facet.toLowerCase()) ?? [];
  }
  return { facets };
}

interface ParentRow {
  child: string;
  parent: string;
  final_entity: string;
}

/**
 * The entity with the (lowercased) ref and every entity that emitted it,
 * transitively, each with the refs of its own parents; one query per
 * generation, not per entity. Parent refs are lowercased as stored; the
 * root ref keeps the case of the entity's name.
 *
 * @throws NotFoundError when no entity has the ref.
 * @internal
 */
export async function getEntityAncestry(
  knex: Knex,
  entityRef: string,
  permissionFilter?: EntityPermissionFilter,
): Promise<EntityAncestryResponse> {
  const rootJson = await getOneEntity(
    knex,
    'entity_ref',
    entityRef,
    permissionFilter,
  );
  if (rootJson === undefined) {
    throw new NotFoundError(
      `No entity '${entityRef}' found; check the kind, namespace and name, or wait for the catalog to process it.`,
    );
  }
  const root = JSON.parse(rootJson) as Entity;
  const items: EntityAncestryResponse['items'] = [];
  const itemByRef = new Map<string, EntityAncestryResponse['items'][number]>();
  const addItem = (ref: string, entity: Entity) => {
    const item = { entity, parentEntityRefs: [] };
    itemByRef.set(ref, item);
    items.push(item);
  };
  addItem(entityRef, root);

  let generation = [entityRef];
  while (generation.length > 0) {
    const result = await knex.raw<{ rows: ParentRow[] }>(
      `SELECT r.target_entity_ref AS child, fe.entity_ref AS parent, fe.final_entity FROM refresh_state_references r JOIN final_entities fe ON fe.entity_ref = r.source_entity_ref WHERE r.target_entity_ref IN (${generation
        .map(() => '?')
        .join(', ')}) ORDER BY fe.entity_ref`,
      generation,
    );
    const next: string[] = [];
    for (const row of result.rows) {
      const child = itemByRef.get(row.child);
      if (child && !child.parentEntityRefs.includes(row.parent)) {
        child.parentEntityRefs.push(row.parent);
      }
      if (!itemByRef.has(row.parent)) {
        addItem(row.parent, JSON.parse(row.final_entity) as Entity);
        next.push(row.parent);
      }
    }
    generation = next;
  }

  const { kind, metadata } = root;
  return {
    rootEntityRef: `${kind.toLowerCase()}:${(
      metadata.namespace ?? DEFAULT_NAMESPACE
    ).toLowerCase()}/${metadata.name}`,
    items: permissionFilter
      ? await keepReadable(knex, entityRef, itemByRef, permissionFilter)
      : items,
  };
}

/**
 * The ancestry items the caller may read, in walk order, with the refs of
 * unreadable parents taken out of `parentEntityRefs`, so no ref of an
 * entity the caller may not read is served; decided in one query.
 */
async function keepReadable(
  knex: Knex,
  rootRef: string,
  itemByRef: Map<string, EntityAncestryResponse['items'][number]>,
  permissionFilter: EntityPermissionFilter,
): Promise<EntityAncestryResponse['items']> {
  const ancestorRefs = [...itemByRef.keys()].filter(ref => ref !== rootRef);
  const readable = new Set([rootRef]);
  if (ancestorRefs.length > 0) {
    const allowed = buildPermissionRowSql(permissionFilter, 'fe.entity_id');
    const result = await knex.raw<{ rows: Array<{ entity_ref: string }> }>(
      `SELECT fe.entity_ref FROM final_entities fe WHERE fe.entity_ref IN (${ancestorRefs
        .map(() => '?')
        .join(', ')}) AND ${allowed.sql}`,
      [...ancestorRefs, ...allowed.bindings],
    );
    for (const row of result.rows) readable.add(row.entity_ref);
  }
  return [...itemByRef]
    .filter(([ref]) => readable.has(ref))
    .map(([, item]) => ({
      entity: item.entity,
      parentEntityRefs: item.parentEntityRefs.filter(ref => readable.has(ref)),
    }));
}
