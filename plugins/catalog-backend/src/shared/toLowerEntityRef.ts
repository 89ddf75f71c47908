import {
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@plinth/catalog-model';

/**
 * The ref of an entity as the database stores it: lowercased
 * `kind:namespace/name`.
 *
 * @remarks
 * `toLowerCase()` maps exactly as `toLocaleLowerCase('en-US')` does, since
 * English tailors no case mapping, and skips a locale look-up that would
 * cost more than the rest of this function on every call.
 */
export function toLowerEntityRef(ref: Entity | CompoundEntityRef): string {
  return stringifyEntityRef(ref).toLowerCase();
}
