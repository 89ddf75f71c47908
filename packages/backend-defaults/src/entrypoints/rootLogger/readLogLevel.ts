import type { Config } from '@plinth/backend-plugin-api';
import { InvalidLogLevelError } from './InvalidLogLevelError';
import { isLogLevel, type LogLevel } from './logLevels';

/**
 * The log level: `LOG_LEVEL` when set, else `backend.logging.level`, else
 * `info`. Case does not matter.
 *
 * @throws {@link InvalidLogLevelError} naming the source of an unknown level.
 */
export function readLogLevel(
  config: Config,
  env: Record<string, string | undefined>,
): LogLevel {
  const fromEnv = env.LOG_LEVEL?.trim();
  if (fromEnv) {
    const level = fromEnv.toLowerCase();
    if (!isLogLevel(level)) {
      throw InvalidLogLevelError.fromEnv(fromEnv);
    }
    return level;
  }
  const fromConfig = config.getOptionalString('backend.logging.level');
  if (fromConfig === undefined) {
    return 'info';
  }
  const level = fromConfig.toLowerCase();
  if (!isLogLevel(level)) {
    throw InvalidLogLevelError.fromConfig(fromConfig);
  }
  return level;
}
