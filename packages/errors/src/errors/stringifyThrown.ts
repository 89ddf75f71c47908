/**
 * Renders a thrown value that is not an error: strings as they are, other
 * values as JSON where possible.
 */
export function stringifyThrown(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
