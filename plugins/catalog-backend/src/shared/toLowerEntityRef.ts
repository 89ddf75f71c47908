import {
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@plinth/catalog-model';

/**
 * The ref of an entity as the database stores it: lowercased
 * `kind:namespace/name`.
 * Lowercased as `stringifyEntityRef` advises.
 */
export function toLowerEntityRef(ref: Entity | CompoundEntityRef): string {
  return stringifyEntityRef(ref).toLowerCase();
}
