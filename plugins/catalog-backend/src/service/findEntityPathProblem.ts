import { isPrototypeKey } from '@plinth/catalog-model';

const roots = ['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'];
/**
 * Longer than any path of a valid entity: the longest is an annotation,
 * whose key has at most 253 + 1 + 63 characters.
 */
const maxPathLength = 400;
const lowercaseRoots = new Set(roots.map(root => root.toLowerCase()));
const rootList = roots.map(root => `'${root}'`).join(', ');

/**
 * Why a dotted path cannot name anything in an entity, or `undefined` when
 * it can: it is too long, has an empty part, an array index or a part that
 * names a prototype, or does not start at one of the entity's top-level
 * fields. Filter, order and facet keys
 * compare case-insensitively; `fields` paths are exact.
 *
 * @internal
 */
export function findEntityPathProblem(
  path: string,
  caseSensitive: boolean,
): string | undefined {
  if (path.length > maxPathLength) {
    return `'${path.slice(0, 40)}...' is ${path.length} characters long, longer than any field of an entity (${maxPathLength})`;
  }
  if (path.includes('[')) {
    return `'${path}' has an array index; name object keys only, as in 'metadata.tags'`;
  }
  const parts = path.split('.');
  const prototypeKey = parts.find(isPrototypeKey);
  if (prototypeKey !== undefined) {
    return `'${path}' has the part '${prototypeKey}', which names an object's prototype, never an entity field`;
  }
  if (parts.some(part => part === '')) {
    return `'${path}' has an empty part; separate the keys of a path with single dots, as in 'metadata.name'`;
  }
  const known = caseSensitive
    ? roots.includes(parts[0])
    : lowercaseRoots.has(parts[0].toLowerCase());
  if (!known) {
    return `'${path}' does not start with a top-level entity field; start it with one of ${rootList}`;
  }
  return undefined;
}
