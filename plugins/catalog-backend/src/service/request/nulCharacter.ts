/**
 * Why text holding U+0000 is refused: PostgreSQL cannot store it in a
 * `text` value nor compare with it, and answers such a query with an
 * error (22021) that would reach the client as a 500.
 *
 * @internal
 */
export const nulProblem =
  'it contains a NUL character (\\u0000), which the catalog can neither store nor match; remove it';

/**
 * Whether a string, or any string (key or value) within JSON-shaped
 * input, holds U+0000.
 *
 * @internal
 */
export function containsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) {
        return true;
      }
    } else if (Array.isArray(next)) {
      pending.push(...(next as unknown[]));
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, item] of Object.entries(next)) {
        pending.push(key, item);
      }
    }
  }
  return false;
}
