import type { Entity } from './Entity';
import { DEFAULT_NAMESPACE } from './DEFAULT_NAMESPACE';

/**
 * Writes the ref of an entity, or of its parts, as `kind:namespace/name`.
 *
 * @remarks
 * Kind and namespace are lowercased and the name keeps its case, as in
 * Backstage, so relation targets and refs in responses read the same as
 * theirs. Keys and database columns compare refs case-insensitively:
 * lowercase the whole result with `toLocaleLowerCase('en-US')` for them.
 *
 * @example
 * ```ts
 * stringifyEntityRef({ kind: 'Component', name: 'petstore' });
 * // 'component:default/petstore'
 * ```
 *
 * @public
 */
export function stringifyEntityRef(
  ref: Entity | { kind: string; namespace?: string; name: string },
): string {
  if ('metadata' in ref) {
    const { namespace = DEFAULT_NAMESPACE, name } = ref.metadata;
    return format(ref.kind, namespace, name);
  }
  return format(ref.kind, ref.namespace ?? DEFAULT_NAMESPACE, ref.name);
}

function format(kind: string, namespace: string, name: string): string {
  return `${kind.toLocaleLowerCase('en-US')}:${namespace.toLocaleLowerCase('en-US')}/${name}`;
}
