import type { Config } from '@plinth/backend-plugin-api';
import { ConfigReader } from './ConfigReader';

/**
 * The values of `config` that came from secrets, for the logger and the
 * HTTP error handler to redact. Configs that do not track secrets, such as
 * another implementation of {@link @plinth/backend-plugin-api#Config}, have none.
 *
 * @public
 */
export function readConfigSecrets(config: Config): string[] {
  return config instanceof ConfigReader ? config.secretValues() : [];
}
