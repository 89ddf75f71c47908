/** Quotes ids for a message: `'a', 'b'`. */
export function quoteIds(ids: readonly string[]): string {
  return ids.map(id => `'${id}'`).join(', ');
}
