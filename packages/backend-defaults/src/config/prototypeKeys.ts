import type { JsonValue } from '@plinth/backend-plugin-api';
import { ConfigError } from '../errors';
import { formatConfigPath, type ConfigPath } from './configPath';

/**
 * Keys that reach an object's prototype rather than its data when code
 * assigns or reads them (`target[key] = value`, `config.constructor`), with
 * what each one names. YAML and `JSON.parse` keep them as plain keys, so
 * config and request bodies refuse them wherever they come from.
 */
const prototypeKeys = new Map([
  ['__proto__', "an object's prototype"],
  ['constructor', "an object's constructor"],
  ['prototype', "a class's prototype"],
]);

/** Whether `key` names a prototype, such as `__proto__`, and is refused. */
export function isPrototypeKey(key: string): boolean {
  return prototypeKeys.has(key);
}

/**
 * The path of every refused key in `value`, not looking below one; `at` is
 * the path of `value` itself.
 */
export function findPrototypeKeys(
  value: JsonValue,
  at: ConfigPath = [],
): ConfigPath[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) =>
      findPrototypeKeys(item, [...at, index]),
    );
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  return Object.entries(value).flatMap(([key, item]) => {
    if (isPrototypeKey(key)) {
      return [[...at, key]];
    }
    return item === undefined ? [] : findPrototypeKeys(item, [...at, key]);
  });
}

/**
 * The error for a refused key at `path` (its last segment) in the layer
 * `source` names: a config file, a file that one includes with
 * `$include`, or an `APP_CONFIG_*` variable.
 */
export function prototypeKeyError(
  path: ConfigPath,
  source: string,
): ConfigError {
  const key = String(path[path.length - 1]);
  return new ConfigError(
    'CONFIG_PROTOTYPE_KEY',
    `Invalid config at '${formatConfigPath(path)}' (${source}): '${key}' cannot be used as a key, as it names ${prototypeKeys.get(key)}; rename the key.`,
    { key: formatConfigPath(path), source },
  );
}
