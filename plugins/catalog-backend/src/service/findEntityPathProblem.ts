const roots = ['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'];
const lowercaseRoots = new Set(roots.map(root => root.toLowerCase()));
const rootList = roots.map(root => `'${root}'`).join(', ');

/**
 * Why a dotted path cannot name anything in an entity, or `undefined` when
 * it can: it has an empty part or an array index, or it does not start at
 * one of the entity's top-level fields. Filter, order and facet keys
 * compare case-insensitively; `fields` paths are exact.
 *
 * @internal
 */
export function findEntityPathProblem(
  path: string,
  caseSensitive: boolean,
): string | undefined {
  if (path.includes('[')) {
    return `'${path}' has an array index; name object keys only, as in 'metadata.tags'`;
  }
  const parts = path.split('.');
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
