/**
 * The SQL idioms the catalog's bulk statements share. Lists travel as one
 * JSON parameter (`JSON.stringify(values)` bound to a `?`) rather than one
 * parameter per value: the statement text stays the same whatever the
 * list's length, so PostgreSQL plans it once, and no list runs into the
 * limit on bind parameters. PGlite and PostgreSQL read them alike.
 */

/** The strings of the JSON array bound to the next `?`, one row each. */
export const jsonArrayElements = 'json_array_elements_text(CAST(? AS json))';

/**
 * `column = ANY(...)` over the JSON array of strings bound to the next
 * `?`, its elements cast to `type` when the column is not text.
 *
 * @param column - a column, or `??` to bind the column's name first.
 */
export function isInJsonArray(column: string, type?: 'bigint'): string {
  const element = type
    ? `CAST(${jsonArrayElements} AS ${type})`
    : jsonArrayElements;
  return `${column} = ANY(ARRAY(SELECT ${element}))`;
}

/**
 * The JSON array of objects bound to the next `?` as a table aliased
 * `x`, with the named text columns: `JSON.stringify(rows)` with
 * snake_case keys.
 */
export function jsonRecordset(columns: readonly string[]): string {
  return `json_to_recordset(CAST(? AS json)) AS x(${columns
    .map(column => `${column} text`)
    .join(', ')})`;
}

/**
 * Whether a provider or a parent entity references the entity whose ref
 * is `entityRef`, through `refresh_state_references` aliased `referrer`; with
 * `also`, only references for which that condition holds count. An
 * entity that nothing references is an orphan.
 */
export function isReferenced(entityRef: string, also?: string): string {
  const condition = also === undefined ? '' : ` AND (${also})`;
  return `EXISTS (SELECT 1 FROM refresh_state_references AS referrer
    WHERE referrer.target_entity_ref = ${entityRef}${condition})`;
}

/**
 * Splits a list into lists of at most `size` items, to keep each bulk
 * statement's payload and the locks it takes bounded.
 */
export function splitIntoChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}
