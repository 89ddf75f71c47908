import { randomUUID } from 'node:crypto';
import { stringifyEntityRef, type Entity } from '@plinth/catalog-model';
import type { Knex } from 'knex';
import { buildEntitySearch } from '../stitching/buildEntitySearch';

/**
 * An entity to seed, with the refs of the entities that emitted it; without
 * parents it counts as emitted by the provider `test-provider`.
 */
export interface SeedEntity {
  entity: Entity;
  parentRefs?: string[];
}

/**
 * Writes entities as the processing engine and the stitcher would leave
 * them, for tests of the read side: refresh state, references, relations
 * (from each entity's `relations`), served entities with uid and etag,
 * and search rows. Returns the uid of each entity by lowercased ref.
 */
export async function seedFinalEntities(
  knex: Knex,
  items: Array<Entity | SeedEntity>,
): Promise<Record<string, string>> {
  const seeds = items.map(item => ('entity' in item ? item : { entity: item }));
  const uids: Record<string, string> = {};
  const now = new Date();
  for (const { entity } of seeds) {
    const ref = toRef(entity);
    const uid = randomUUID();
    uids[ref] = uid;
    const served: Entity = {
      ...entity,
      metadata: { ...entity.metadata, uid, etag: `etag-${uid}` },
    };
    const json = JSON.stringify(served);
    await knex('refresh_state').insert({
      entity_id: uid,
      entity_ref: ref,
      unprocessed_entity: JSON.stringify(entity),
      unprocessed_hash: `hash-${uid}`,
      processed_entity: json,
      result_hash: `result-${uid}`,
      next_update_at: now,
    });
    await knex('final_entities').insert({
      entity_id: uid,
      entity_ref: ref,
      hash: `hash-${uid}`,
      final_entity: json,
      last_updated_at: now,
    });
    await knex('search').insert(
      buildEntitySearch(served).map(row => ({ entity_id: uid, ...row })),
    );
  }
  for (const { entity, parentRefs } of seeds) {
    const ref = toRef(entity);
    const references = parentRefs?.length
      ? parentRefs.map(parent => ({
          source_entity_ref: parent.toLowerCase(),
          target_entity_ref: ref,
        }))
      : [{ source_key: 'test-provider', target_entity_ref: ref }];
    await knex('refresh_state_references').insert(references);
    const relations = (entity.relations ?? []).map(relation => ({
      originating_entity_id: uids[ref],
      source_entity_ref: ref,
      type: relation.type,
      target_entity_ref: relation.targetRef.toLowerCase(),
    }));
    if (relations.length > 0) {
      await knex('relations').insert(relations);
    }
  }
  return uids;
}

function toRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLowerCase();
}
