import type { Config } from '@plinth/backend-plugin-api';
import { InvalidConfigError } from '../rootConfig/InvalidConfigError';
import { ConfigReader } from '../rootConfig/ConfigReader';

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
 * Reads `backend.listen`: `host` (default: every interface) and `port`
 * (default 7007; 0 picks a free port).
 *
 * @throws {@link InvalidConfigError} when the port is not an integer from 0
 *   to 65535, or the host is not a string.
 */
export function readListenOptions(config: Config): ListenOptions {
  const host = config.getOptionalString('backend.listen.host');
  const port = config.getOptionalNumber('backend.listen.port') ?? 7007;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidConfigError(
      'backend.listen.port',
      ConfigReader.findContext(config, 'backend.listen.port'),
      'an integer from 0 to 65535 (0 picks a free port)',
      config.get('backend.listen.port'),
    );
  }
  return { host, port };
}
