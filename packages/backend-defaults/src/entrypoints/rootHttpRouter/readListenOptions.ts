import type { Config } from '@plinth/backend-plugin-api';
import { InvalidConfigError } from '../../errors';
import { ConfigReader } from '../../config';

/**
 * Where the HTTP server listens.
 */
export interface ListenOptions {
  /** `undefined` listens on every interface. */
  host?: string;
  /** `0` picks a free port. */
  port: number;
}

/**
 * Reads `backend.listen`: `host` (default, or empty: every interface) and
 * `port` (default 7007; 0 picks a free port). The one parser of this key:
 * the HTTP server listens with it, and discovery and auth build local URLs
 * from it, so all three agree on defaults and checks.
 *
 * @throws {@link InvalidConfigError} when the port is not an integer from 0
 *   to 65535, or the host is not a string.
 */
export function readListenOptions(config: Config): ListenOptions {
  return { host: readHost(config), port: readPort(config) };
}

function readHost(config: Config): string | undefined {
  const key = 'backend.listen.host';
  const host = config.getOptional(key);
  if (host === undefined || host === '') {
    return undefined;
  }
  if (typeof host !== 'string') {
    throw new InvalidConfigError(
      key,
      ConfigReader.findContext(config, key),
      'a host name or IP address (leave it out to listen on every interface)',
      host,
    );
  }
  return host;
}

function readPort(config: Config): number {
  const key = 'backend.listen.port';
  const port = config.getOptionalNumber(key) ?? 7007;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidConfigError(
      key,
      ConfigReader.findContext(config, key),
      'an integer from 0 to 65535 (0 picks a free port)',
      config.get(key),
    );
  }
  return port;
}
