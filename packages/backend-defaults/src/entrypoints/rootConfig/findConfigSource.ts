import type { ConfigSource } from './ConfigReader';
import type { ConfigPath } from './formatConfigPath';
import { readConfigPath } from './readConfigPath';

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
