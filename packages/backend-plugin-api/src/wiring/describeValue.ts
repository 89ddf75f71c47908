/**
 * Renders an unexpected value for an error message.
 *
 * @internal
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'string') {
    return `the string '${value}'`;
  }
  if (typeof value === 'function') {
    return `a function${value.name ? ` '${value.name}'` : ''}`;
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return `${typeof value} ${value}`;
  }
  return typeof value === 'symbol' ? value.toString() : 'an object';
}
