import type { Config } from '@plinth/backend-plugin-api';
import { ConfigReader } from './ConfigReader';

/**
 * The values of `config` that came from secrets, for the logger and the
 * HTTP error handler to redact. Configs that do not track secrets, such as
 * another implementation of {@link @plinth/backend-plugin-api#Config}, have none.
 *
 * @public
 */
export function readConfigSecrets(
  config: Config,
  options?: {
    /** Only values at keys a schema marks secret, not every substitution. */
    declaredOnly?: boolean;
  },
): string[] {
  return config instanceof ConfigReader ? config.secretValues(options) : [];
}
