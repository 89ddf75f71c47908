export {
  DefaultTracingService,
  type DefaultTracingServiceOptions,
} from './DefaultTracingService';
export { tracingServiceFactory } from './tracingServiceFactory';
