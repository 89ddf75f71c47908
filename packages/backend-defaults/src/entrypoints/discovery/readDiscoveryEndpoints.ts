import {
  type Config,
  describeIdRule,
  isValidId,
} from '@plinth/backend-plugin-api';
import { ConfigError } from '../../errors';

/** The URL templates of one plugin; `{{pluginId}}` is still in them. */
export interface DiscoveryEndpoint {
  internal?: string;
  external?: string;
}

/**
 * Reads `discovery.endpoints` into the URL templates of each plugin listed.
 * A string `target` sets both URLs; an object sets `internal`, `external`
 * or both, and the other falls back to the default.
 *
 * @throws {@link @plinth/backend-defaults#ConfigError} naming the key of a bad target or
 *   plugin id, or a plugin listed twice.
 */
export function readDiscoveryEndpoints(
  config: Config,
): Map<string, DiscoveryEndpoint> {
  const endpoints = new Map<string, DiscoveryEndpoint & { key: string }>();
  const configs = config.getOptionalConfigArray('discovery.endpoints') ?? [];
  configs.forEach((endpoint, index) => {
    const key = `discovery.endpoints[${index}]`;
    const urls = readTarget(endpoint, `${key}.target`);
    const plugins = endpoint.getStringArray('plugins');
    if (plugins.length === 0) {
      throw discoveryErrors.invalidValue(
        `${key}.plugins`,
        'at least one plugin id',
        plugins,
      );
    }
    plugins.forEach((pluginId, i) => {
      const pluginKey = `${key}.plugins[${i}]`;
      if (!isValidId('plugin id', pluginId)) {
        throw discoveryErrors.invalidValue(
          pluginKey,
          `a plugin id of ${describeIdRule('plugin id')}`,
          pluginId,
        );
      }
      const previous = endpoints.get(pluginId);
      if (previous) {
        throw discoveryErrors.duplicatePlugin(
          pluginId,
          previous.key,
          pluginKey,
        );
      }
      endpoints.set(pluginId, { ...urls, key: pluginKey });
    });
  });
  return new Map(
    [...endpoints].map(([pluginId, { internal, external }]) => [
      pluginId,
      { internal, external },
    ]),
  );
}

function readTarget(endpoint: Config, key: string): DiscoveryEndpoint {
  const target = endpoint.getOptional('target');
  if (typeof target === 'string') {
    const url = toBaseUrlTemplate(target, key);
    return { internal: url, external: url };
  }
  if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
    const { internal, external } = target as Record<string, unknown>;
    if (internal !== undefined || external !== undefined) {
      return {
        internal:
          internal === undefined
            ? undefined
            : toBaseUrlTemplate(internal, `${key}.internal`),
        external:
          external === undefined
            ? undefined
            : toBaseUrlTemplate(external, `${key}.external`),
      };
    }
  }
  throw discoveryErrors.invalidValue(
    key,
    "a URL, or an object with 'internal' and/or 'external' URLs",
    target,
  );
}

const pluginIdPlaceholder = /\{\{\s*pluginId\s*\}\}/g;

/**
 * Checks that `value` from config at `key` is an http(s) URL once
 * `{{pluginId}}` is filled in, and returns it without trailing slashes.
 * `example` shows a valid value in the error.
 *
 * @throws {@link @plinth/backend-defaults#ConfigError} naming the key and the value.
 */
export function toBaseUrlTemplate(
  value: unknown,
  key: string,
  example = 'http://catalog:7007/api/{{pluginId}}',
): string {
  const expected = `an http or https URL such as '${example}'`;
  if (typeof value !== 'string') {
    throw discoveryErrors.invalidValue(key, expected, value);
  }
  let url: URL;
  try {
    url = new URL(fillBaseUrlTemplate(value, 'plugin'));
  } catch {
    throw discoveryErrors.invalidValue(key, expected, value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw discoveryErrors.invalidValue(key, expected, value);
  }
  return value.replace(/\/+$/, '');
}

/** The template with every `{{pluginId}}` (or `{{ pluginId }}`) replaced. */
export function fillBaseUrlTemplate(
  template: string,
  pluginId: string,
): string {
  return template.replace(pluginIdPlaceholder, pluginId);
}

/** The errors of discovery config that cannot be used. */
export const discoveryErrors = {
  /** A value at `key` is not what discovery needs. */
  invalidValue(key: string, expected: string, actual: unknown): ConfigError {
    return new ConfigError(
      'CONFIG_DISCOVERY_INVALID',
      `Invalid config at '${key}': expected ${expected}, got ${describeActual(actual)}.`,
      { key },
    );
  },

  /** Two endpoints claim the same plugin. */
  duplicatePlugin(
    pluginId: string,
    firstKey: string,
    secondKey: string,
  ): ConfigError {
    return new ConfigError(
      'CONFIG_DISCOVERY_INVALID',
      `Plugin '${pluginId}' is listed in both '${firstKey}' and '${secondKey}'; list each plugin in one discovery endpoint only.`,
      { key: secondKey },
    );
  },

  /** The listen port is random, so the default URL cannot be built. */
  randomPort(pluginId: string, kind: 'internal' | 'external'): ConfigError {
    const fix =
      kind === 'internal'
        ? "set a fixed 'backend.listen.port'"
        : "set 'backend.baseUrl'";
    return new ConfigError(
      'CONFIG_DISCOVERY_RANDOM_PORT',
      `Cannot build the ${kind} base URL of plugin '${pluginId}': 'backend.listen.port' is 0, a random port that only the HTTP server knows; ${fix} or list the plugin in 'discovery.endpoints'.`,
      { key: 'backend.listen.port' },
    );
  },
};

function describeActual(value: unknown): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? 'an empty list' : 'a list';
  }
  if (value !== null && typeof value === 'object') {
    return 'an object';
  }
  return typeof value === 'string' ? `'${value}'` : String(value);
}
