export { auditorServiceFactory } from './auditorServiceFactory';
export {
  DefaultAuditorService,
  type DefaultAuditorServiceOptions,
} from './DefaultAuditorService';
export {
  auditorSinkServiceRef,
  LoggerAuditorSink,
  loggerAuditorSinkFactory,
  readAuditorSeverityLogLevels,
  type AuditorEvent,
  type AuditorEventActorDetails,
  type AuditorEventError,
  type AuditorEventRequest,
  type AuditorSeverityLogLevels,
  type AuditorSink,
} from './AuditorSink';
