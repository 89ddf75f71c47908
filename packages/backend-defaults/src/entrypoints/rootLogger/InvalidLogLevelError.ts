import { CustomErrorBase } from '@plinth/errors';
import { logLevels } from './logLevels';

const validLevels = Object.keys(logLevels)
  .map(level => `'${level}'`)
  .join(', ');

/**
 * A log level that the logger does not know, from `LOG_LEVEL`, from
 * `backend.logging.level` or passed to {@link WinstonLogger.create}.
 *
 * @public
 */
export class InvalidLogLevelError extends CustomErrorBase {
  readonly name = 'InvalidLogLevelError' as const;

  /** A bad `LOG_LEVEL` environment variable. */
  static fromEnv(value: string): InvalidLogLevelError {
    return new InvalidLogLevelError(
      `Invalid log level '${value}' in the LOG_LEVEL environment variable: use one of ${validLevels}, or unset it.`,
    );
  }

  /** A bad `backend.logging.level` config value. */
  static fromConfig(value: unknown): InvalidLogLevelError {
    return new InvalidLogLevelError(
      `Invalid log level ${describeLevel(value)} at config 'backend.logging.level': use one of ${validLevels}.`,
    );
  }

  /** A bad `level` option of {@link WinstonLogger.create}. */
  static fromOption(value: unknown): InvalidLogLevelError {
    return new InvalidLogLevelError(
      `Invalid log level ${describeLevel(value)} passed to WinstonLogger.create(): use one of ${validLevels}.`,
    );
  }
}

function describeLevel(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
