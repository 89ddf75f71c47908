/**
 * Writes a cursor object as URL-safe base64 of its JSON, opaque to
 * clients and safe in a query string without escaping.
 *
 * @internal
 */
export function encodeCursor(cursor: object): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}
