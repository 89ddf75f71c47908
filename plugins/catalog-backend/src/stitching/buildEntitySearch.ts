import { DEFAULT_NAMESPACE, type Entity } from '@plinth/catalog-model';

/** One row of the `search` table, without its entity id. */
export interface SearchRow {
  /** The lowercased dotted path, such as `spec.owner`. */
  key: string;
  /** The value as written; null when absent or longer than the limit. */
  original_value: string | null;
  /** `original_value` lowercased, what filters compare against. */
  value: string | null;
}

/** Longer keys are left out, longer values are stored as null. */
const maxLength = 200;

/** Paths served elsewhere or added below in a fixed form. */
const skippedPaths = new Set([
  'attachments',
  'relations',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.etag',
]);

/**
 * Flattens a stitched entity into the search rows that filters, facets and
 * ordering read. Objects become dotted paths; each item of an array is a
 * row of the array's path, and a string item `x` also gives the row
 * `<path>.x` = `true`, so a filter can ask for several items at once.
 * Relations give `relations.<type>` = target ref. `metadata.namespace` is
 * always present (`default` when unset), as are `metadata.name` and
 * `metadata.uid`. Identical rows are stored once.
 */
export function buildEntitySearch(entity: Entity): SearchRow[] {
  const rows = new Map<string, SearchRow>();
  const add = (
    path: string,
    raw: string | number | boolean | null | undefined,
  ) => {
    const key = path.toLowerCase();
    if (key.length > maxLength) {
      return;
    }
    let original: string | null =
      raw === null || raw === undefined ? null : String(raw);
    if (original !== null && original.length > maxLength) {
      original = null;
    }
    const id = `${key}\u0000${original ?? '\u0001'}`;
    if (!rows.has(id)) {
      rows.set(id, {
        key,
        original_value: original,
        value: original?.toLowerCase() ?? null,
      });
    }
  };
  const visit = (path: string, value: unknown) => {
    if (skippedPaths.has(path)) {
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        visit(path, item);
        if (typeof item === 'string') {
          add(`${path}.${item}`, true);
        }
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        visit(path ? `${path}.${key}` : key, child);
      }
    } else if (
      value === null ||
      value === undefined ||
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      add(path, value);
    }
  };
  visit('', entity);
  add('metadata.name', entity.metadata.name);
  add('metadata.namespace', entity.metadata.namespace ?? DEFAULT_NAMESPACE);
  add('metadata.uid', entity.metadata.uid);
  for (const relation of entity.relations ?? []) {
    add(`relations.${relation.type}`, relation.targetRef);
  }
  return [...rows.values()];
}
