import type { LoggerService } from './LoggerService';

/**
 * The backend-wide logger that plugin loggers derive from.
 *
 * @public
 */
export type RootLoggerService = LoggerService;
