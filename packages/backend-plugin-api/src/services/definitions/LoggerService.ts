import type { JsonObject } from '@plinth/errors';

/**
 * Extra fields on a log line, or an error to log with its details.
 *
 * @public
 */
export type LogMeta = Error | JsonObject;

/**
 * Structured logging for a plugin; every line carries the plugin id.
 *
 * @public
 */
export interface LoggerService {
  error(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  debug(message: string, meta?: LogMeta): void;
  /** A logger that adds `fields` to every line. */
  child(fields: JsonObject): LoggerService;
}

/**
 * The backend-wide logger that plugin loggers derive from.
 *
 * @public
 */
export type RootLoggerService = LoggerService;
