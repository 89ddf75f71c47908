import type { JsonValue } from '@plinth/backend-plugin-api';
import type { ConfigPath } from './formatConfigPath';

/**
 * The value at a path below `value`, or `undefined` when some segment is
 * absent or steps into a value that is not a container.
 */
export function readConfigPath(
  value: JsonValue | undefined,
  path: ConfigPath,
): JsonValue | undefined {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') {
      current = current[segment];
    } else if (
      current !== null &&
      typeof current === 'object' &&
      !Array.isArray(current) &&
      typeof segment === 'string' &&
      Object.hasOwn(current, segment)
    ) {
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}
