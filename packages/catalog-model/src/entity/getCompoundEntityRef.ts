import type { CompoundEntityRef, Entity } from './Entity';
import { DEFAULT_NAMESPACE } from './DEFAULT_NAMESPACE';

/**
 * The kind, namespace and name of an entity, with the default namespace
 * filled in.
 *
 * @public
 */
export function getCompoundEntityRef(entity: Entity): CompoundEntityRef {
  return {
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  };
}
