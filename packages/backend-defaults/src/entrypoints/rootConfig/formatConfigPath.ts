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
