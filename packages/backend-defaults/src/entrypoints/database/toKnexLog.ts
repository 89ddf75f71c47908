import type { LoggerService } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';

/**
 * Sends knex's own warnings (such as pool errors) to the plugin's logger
 * instead of the console.
 */
export function toKnexLog(logger: LoggerService): Knex.Logger {
  const write =
    (level: 'warn' | 'error' | 'debug') =>
    (message: unknown): void => {
      logger[level](
        typeof message === 'string' ? message : JSON.stringify(message),
      );
    };
  return {
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    deprecate: (method: string, alternative: string) =>
      logger.warn(`knex: ${method} is deprecated; use ${alternative}.`),
  };
}
