export { WinstonLogger, type WinstonLoggerOptions } from './WinstonLogger';
export { rootLoggerServiceFactory } from './rootLoggerServiceFactory';
export type { LogLevel } from './logLevels';
