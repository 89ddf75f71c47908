/**
 * The dotted paths of an entity that differ from another path only in
 * case, such as `spec.owner` and `spec.Owner`: the search index lowercases
 * paths, so it could not tell them apart.
 */
export function findKeysDifferingInCase(entity: unknown): string[] {
  const seen = new Map<string, string>();
  const clashes = new Set<string>();
  const visit = (value: unknown, prefix: string) => {
    if (value === null || typeof value !== 'object') {
      return;
    }
    if (Array.isArray(value)) {
      value.forEach(item => visit(item, prefix));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      // As toLocaleLowerCase('en-US'), without its cost (see toLowerEntityRef).
      const lower = path.toLowerCase();
      const first = seen.get(lower);
      if (first === undefined) {
        seen.set(lower, path);
      } else if (first !== path) {
        clashes.add(`'${first}' and '${path}'`);
      }
      visit(child, path);
    }
  };
  visit(entity, '');
  return [...clashes];
}
