/**
 * A piece of SQL with `?` placeholders and their values, in order, ready
 * for `knex.raw`.
 *
 * @internal
 */
export interface SqlFragment {
  sql: string;
  bindings: Array<string | number>;
}
