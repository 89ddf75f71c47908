/**
 * Renders a config value for an error message: scalars as JSON, containers
 * by kind, and secrets by type only so that no error prints them.
 */
export function describeConfigValue(
  value: unknown,
  options?: { secret?: boolean },
): string {
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value !== null && typeof value === 'object') {
    return 'an object';
  }
  if (options?.secret) {
    return `a ${value === null ? 'null' : typeof value} (secret, not shown)`;
  }
  return JSON.stringify(value);
}
