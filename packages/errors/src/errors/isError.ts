/**
 * Tells whether a caught value has the shape of an error: a `name` and a
 * `message` string. Values thrown across realms or by other libraries are
 * not always `instanceof Error`, so the shape is what counts.
 *
 * @public
 */
export function isError(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Error>).name === 'string' &&
    typeof (value as Partial<Error>).message === 'string'
  );
}
