import { CATALOG_FILTER_EXISTS } from './CATALOG_FILTER_EXISTS';
import type { EntityFilterQuery, EntityOrderQuery } from './EntityFilterQuery';

/**
 * The query string of one catalog request, encoded as
 * `@backstage/catalog-client` encodes it, so the catalog reads both alike.
 */
export class CatalogQuery {
  readonly #params = new URLSearchParams();

  /**
   * One `filter` parameter per filter set, its conditions joined by commas:
   * `key=value`, or `key` alone for `CATALOG_FILTER_EXISTS`. Sets without
   * conditions are left out, as they would match everything.
   */
  filter(filter: EntityFilterQuery | undefined): this {
    for (const set of [filter ?? []].flat()) {
      const conditions: string[] = [];
      for (const [key, values] of Object.entries(set)) {
        for (const value of [values].flat()) {
          if (value === CATALOG_FILTER_EXISTS) {
            conditions.push(key);
          } else if (typeof value === 'string') {
            conditions.push(`${key}=${value}`);
          }
        }
      }
      if (conditions.length > 0) {
        this.#params.append('filter', conditions.join(','));
      }
    }
    return this;
  }

  /** One `name` parameter per order directive, written by `format`. */
  order(
    name: string,
    order: EntityOrderQuery | undefined,
    format: (directive: { field: string; order: 'asc' | 'desc' }) => string,
  ): this {
    const directives = order === undefined ? [] : [order].flat();
    return this.repeat(name, directives.map(format));
  }

  /** One `name` parameter per value. */
  repeat(name: string, values: string[]): this {
    for (const value of values) {
      this.#params.append(name, value);
    }
    return this;
  }

  /** The values joined by commas; nothing for an empty list. */
  list(name: string, values: string[] | undefined): this {
    if (values && values.length > 0) {
      this.#params.set(name, values.join(','));
    }
    return this;
  }

  /** The value as text; nothing for `undefined` or an empty string. */
  value(name: string, value: string | number | undefined): this {
    if (value !== undefined && value !== '') {
      this.#params.set(name, String(value));
    }
    return this;
  }

  /** `?` and the parameters, or nothing when there are none. */
  toSearch(): string {
    return this.#params.size > 0 ? `?${this.#params.toString()}` : '';
  }
}
