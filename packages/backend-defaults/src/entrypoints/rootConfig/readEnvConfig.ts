import type { JsonObject, JsonValue } from '@plinth/backend-plugin-api';
import type { ConfigSource } from './ConfigReader';
import { ConfigEnvOverrideError } from './ConfigEnvOverrideError';
import { findPrototypeKeys } from './prototypeKeys';

const prefix = 'APP_CONFIG_';

interface Override {
  variable: string;
  path: string[];
  value: JsonValue;
  data: JsonObject;
}

/**
 * Reads `APP_CONFIG_<key>_<key>...=<json>` environment variables as config
 * layers, one per variable, each named after its variable so that errors
 * point at it. Layers are sorted by name, so a variable for a key comes
 * before those for keys below it. A variable whose name or value has a key
 * such as `constructor` is reported and left out; `__proto__` cannot be
 * named, as its underscores make empty keys.
 */
export function readEnvConfig(
  env: Readonly<Record<string, string | undefined>>,
): { sources: ConfigSource[]; problems: ConfigEnvOverrideError[] } {
  const problems: ConfigEnvOverrideError[] = [];
  const overrides: Override[] = [];
  const variables = Object.keys(env)
    .filter(name => name.startsWith(prefix) && env[name] !== undefined)
    .sort();
  for (const variable of variables) {
    const path = variable.slice(prefix.length).split('_');
    if (path.some(segment => segment === '')) {
      problems.push(ConfigEnvOverrideError.invalidName(variable));
      continue;
    }
    let value: JsonValue;
    try {
      value = JSON.parse(env[variable]!) as JsonValue;
    } catch {
      problems.push(ConfigEnvOverrideError.notJson(variable));
      continue;
    }
    // A computed key defines an own property, so no segment sets a prototype.
    const data = path.reduceRight<JsonValue>(
      (inner, segment) => ({ [segment]: inner }),
      value,
    ) as JsonObject;
    const refused = findPrototypeKeys(data);
    if (refused.length > 0) {
      problems.push(
        ...refused.map(p => ConfigEnvOverrideError.prototypeKey(variable, p)),
      );
      continue;
    }
    overrides.push({ variable, path, value, data });
  }
  for (const outer of overrides) {
    const isObject =
      typeof outer.value === 'object' &&
      outer.value !== null &&
      !Array.isArray(outer.value);
    const nested = overrides.find(
      inner =>
        inner.path.length > outer.path.length &&
        outer.path.every((segment, i) => inner.path[i] === segment),
    );
    if (nested && !isObject) {
      problems.push(
        ConfigEnvOverrideError.conflict(outer.variable, nested.variable),
      );
    }
  }
  const sources = overrides.map(({ variable, data }) => ({
    context: variable,
    data,
  }));
  return { sources, problems };
}
