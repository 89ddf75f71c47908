export { WinstonLogger, type WinstonLoggerOptions } from './WinstonLogger';
export { rootLoggerServiceFactory } from './rootLoggerServiceFactory';
export { InvalidLogLevelError } from './InvalidLogLevelError';
export type { LogLevel } from './logLevels';
