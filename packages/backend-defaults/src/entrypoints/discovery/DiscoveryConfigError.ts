import { CustomErrorBase } from '@plinth/errors';

/**
 * The discovery settings in config (`backend.listen`, `backend.baseUrl`,
 * `discovery.endpoints`) cannot produce a plugin's base URL.
 *
 * @public
 */
export class DiscoveryConfigError extends CustomErrorBase {
  readonly name = 'DiscoveryConfigError' as const;

  /** A value at `key` is not what discovery needs. */
  static invalidValue(
    key: string,
    expected: string,
    actual: unknown,
  ): DiscoveryConfigError {
    return new DiscoveryConfigError(
      `Invalid config at '${key}': expected ${expected}, got ${describeActual(actual)}.`,
    );
  }

  /** Two endpoints claim the same plugin. */
  static duplicatePlugin(
    pluginId: string,
    firstKey: string,
    secondKey: string,
  ): DiscoveryConfigError {
    return new DiscoveryConfigError(
      `Plugin '${pluginId}' is listed in both '${firstKey}' and '${secondKey}'; list each plugin in one discovery endpoint only.`,
    );
  }

  /** The listen port is random, so the default URL cannot be built. */
  static randomPort(
    pluginId: string,
    kind: 'internal' | 'external',
  ): DiscoveryConfigError {
    const fix =
      kind === 'internal'
        ? "set a fixed 'backend.listen.port'"
        : "set 'backend.baseUrl'";
    return new DiscoveryConfigError(
      `Cannot build the ${kind} base URL of plugin '${pluginId}': 'backend.listen.port' is 0, a random port that only the HTTP server knows; ${fix} or list the plugin in 'discovery.endpoints'.`,
    );
  }
}

function describeActual(value: unknown): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? 'an empty list' : 'a list';
  }
  if (value !== null && typeof value === 'object') {
    return 'an object';
  }
  return typeof value === 'string' ? `'${value}'` : String(value);
}
