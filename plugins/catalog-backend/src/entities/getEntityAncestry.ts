import { DEFAULT_NAMESPACE, type Entity } from '@plinth/catalog-model';
import { NotFoundError } from '@plinth/errors';
import type { Knex } from 'knex';
import type { EntityAncestryResponse } from './EntitiesCatalog';

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
): Promise<EntityAncestryResponse> {
  const rootResult = await knex.raw<{ rows: Array<{ final_entity: string }> }>(
    'SELECT final_entity FROM final_entities WHERE entity_ref = ?',
    [entityRef],
  );
  if (rootResult.rows.length === 0) {
    throw new NotFoundError(
      `No entity '${entityRef}' found; check the kind, namespace and name, or wait for the catalog to process it.`,
    );
  }
  const root = JSON.parse(rootResult.rows[0].final_entity) as Entity;
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
    rootEntityRef: `${kind.toLocaleLowerCase('en-US')}:${(
      metadata.namespace ?? DEFAULT_NAMESPACE
    ).toLocaleLowerCase('en-US')}/${metadata.name}`,
    items,
  };
}
