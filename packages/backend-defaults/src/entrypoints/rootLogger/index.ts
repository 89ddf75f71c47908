export { WinstonLogger, type WinstonLoggerOptions } from './WinstonLogger';
export {
  CoalescingStreamTransport,
  type CoalescingStreamTransportOptions,
  type LineSink,
} from './CoalescingStreamTransport';
export { rootLoggerServiceFactory } from './rootLoggerServiceFactory';
export type { LogLevel } from './logLevels';
