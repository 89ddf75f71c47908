/**
 * Which entities to return. Keys are dotted paths into the entity, such as
 * `metadata.name` or `relations.ownedby`; values are matched without regard
 * to case, and `CATALOG_FILTER_EXISTS` matches any value.
 *
 * @remarks
 * An array of records ORs the records; the keys of one record AND; several
 * values of one key OR. `[{ kind: ['API', 'Component'] }, { 'metadata.name': 'a' }]`
 * means `(kind = API or kind = Component) or metadata.name = a`.
 *
 * @public
 */
export type EntityFilterQuery =
  | Record<string, string | symbol | Array<string | symbol>>[]
  | Record<string, string | symbol | Array<string | symbol>>;

/**
 * The parts of each entity to return, as dotted paths such as
 * `metadata.name` or `spec`; everything else is left out.
 *
 * @public
 */
export type EntityFieldsQuery = string[];

/**
 * How to order entities: by one or more dotted paths, ascending or
 * descending, compared without regard to case. Entities without the field
 * come last.
 *
 * @public
 */
export type EntityOrderQuery =
  | { field: string; order: 'asc' | 'desc' }
  | Array<{ field: string; order: 'asc' | 'desc' }>;
