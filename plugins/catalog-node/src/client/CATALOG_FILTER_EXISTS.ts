/**
 * Stands for "any value" in an `EntityFilterQuery`: the condition matches
 * every entity that has the key, whatever its value.
 *
 * @remarks
 * A registered symbol with the key `@backstage/catalog-client` uses, so a
 * filter built with that package's `CATALOG_FILTER_EXISTS` means the same
 * to `CatalogService`, and the other way round.
 *
 * @example
 * ```ts
 * await catalog.getEntities(
 *   { filter: { kind: 'component', 'spec.owner': CATALOG_FILTER_EXISTS } },
 *   { credentials },
 * );
 * ```
 * @public
 */
export const CATALOG_FILTER_EXISTS: unique symbol = Symbol.for(
  'CATALOG_FILTER_EXISTS_0e15b590c0b343a2bae3e787e84c2111',
);
