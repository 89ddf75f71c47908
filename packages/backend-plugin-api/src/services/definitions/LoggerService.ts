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
  /**
   * Whether a line at `level` would be written, so that a caller can skip
   * building fields that cost something (an audit event per request)
   * when it would not. A logger that cannot tell leaves it out, and
   * callers then assume it would.
   */
  isLevelEnabled?(level: 'error' | 'warn' | 'info' | 'debug'): boolean;
}

/**
 * The backend-wide logger that plugin loggers derive from.
 *
 * @public
 */
export type RootLoggerService = LoggerService;
