import type { JsonValue } from '@plinth/backend-plugin-api';
import type { ConfigSource } from './ConfigReader';

/**
 * A location in the config tree: object keys and array indexes.
 */
export type ConfigPath = ReadonlyArray<string | number>;

/**
 * Renders a config path the way errors name keys: `backend.auth.keys[0].secret`.
 */
export function formatConfigPath(path: ConfigPath): string {
  return path.reduce<string>((key, segment) => {
    if (typeof segment === 'number') {
      return `${key}[${segment}]`;
    }
    return key ? `${key}.${segment}` : segment;
  }, '');
}

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

/**
 * The layer whose value is seen at `path` once layers are merged: the last
 * one that has a value there, since later layers win and arrays are
 * replaced whole.
 */
export function findConfigSource(
  sources: readonly ConfigSource[],
  path: ConfigPath,
): ConfigSource | undefined {
  for (let i = sources.length - 1; i >= 0; i--) {
    if (readConfigPath(sources[i].data, path) !== undefined) {
      return sources[i];
    }
  }
  return undefined;
}
