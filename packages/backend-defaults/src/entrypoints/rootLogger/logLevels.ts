import type { Config } from '@plinth/backend-plugin-api';
import { quoteList } from '@plinth/errors';
import { ConfigError } from '../../errors';

/**
 * A level of {@link @plinth/backend-plugin-api#LoggerService}, from most to
 * least severe.
 *
 * @public
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Every level with its winston priority: a lower number is more severe. */
export const logLevels: Readonly<Record<LogLevel, number>> = Object.freeze({
  error: 0,
  warn: 1,
  info: 2,
  debug: 3,
});

/** Whether `value` names a level, such as `'info'`. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(logLevels, value);
}

/**
 * The log level: `LOG_LEVEL` when set, else `backend.logging.level`, else
 * `info`. Case does not matter.
 *
 * @throws {@link ConfigError} with code `CONFIG_LOG_LEVEL_INVALID`, naming
 *   the source of an unknown level.
 */
export function readLogLevel(
  config: Config,
  env: Record<string, string | undefined>,
): LogLevel {
  const fromEnv = env.LOG_LEVEL?.trim();
  if (fromEnv) {
    const level = fromEnv.toLowerCase();
    if (!isLogLevel(level)) {
      throw invalidLogLevel.fromEnv(fromEnv);
    }
    return level;
  }
  const fromConfig = config.getOptionalString('backend.logging.level');
  if (fromConfig === undefined) {
    return 'info';
  }
  const level = fromConfig.toLowerCase();
  if (!isLogLevel(level)) {
    throw invalidLogLevel.fromConfig(fromConfig);
  }
  return level;
}

const validLevels = quoteList(Object.keys(logLevels));

/** The errors of a log level that is not one, by where it was given. */
export const invalidLogLevel = {
  fromEnv(value: string): ConfigError {
    return new ConfigError(
      'CONFIG_LOG_LEVEL_INVALID',
      `Invalid log level '${value}' in the LOG_LEVEL environment variable: use one of ${validLevels}, or unset it.`,
      { source: 'LOG_LEVEL' },
    );
  },

  fromConfig(value: unknown): ConfigError {
    return new ConfigError(
      'CONFIG_LOG_LEVEL_INVALID',
      `Invalid log level ${describeLevel(value)} at config 'backend.logging.level': use one of ${validLevels}.`,
      { key: 'backend.logging.level' },
    );
  },

  fromOption(value: unknown): ConfigError {
    return new ConfigError(
      'CONFIG_LOG_LEVEL_INVALID',
      `Invalid log level ${describeLevel(value)} passed to WinstonLogger.create(): use one of ${validLevels}.`,
    );
  },
};

function describeLevel(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
