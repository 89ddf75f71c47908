export { schedulerServiceFactory } from './schedulerServiceFactory';
export {
  DefaultSchedulerService,
  type DefaultSchedulerServiceOptions,
} from './DefaultSchedulerService';
export {
  RuntimeServiceError,
  type RuntimeServiceErrorCode,
} from '../../errors';
