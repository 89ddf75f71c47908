import {
  type Config,
  describeIdRule,
  isValidId,
} from '@plinth/backend-plugin-api';
import { DiscoveryConfigError } from './DiscoveryConfigError';
import { toBaseUrlTemplate } from './toBaseUrlTemplate';

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
 * @throws {@link DiscoveryConfigError} naming the key of a bad target or
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
      throw DiscoveryConfigError.invalidValue(
        `${key}.plugins`,
        'at least one plugin id',
        plugins,
      );
    }
    plugins.forEach((pluginId, i) => {
      const pluginKey = `${key}.plugins[${i}]`;
      if (!isValidId('plugin id', pluginId)) {
        throw DiscoveryConfigError.invalidValue(
          pluginKey,
          `a plugin id of ${describeIdRule('plugin id')}`,
          pluginId,
        );
      }
      const previous = endpoints.get(pluginId);
      if (previous) {
        throw DiscoveryConfigError.duplicatePlugin(
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
  throw DiscoveryConfigError.invalidValue(
    key,
    "a URL, or an object with 'internal' and/or 'external' URLs",
    target,
  );
}
