export { schedulerServiceFactory } from './schedulerServiceFactory';
export {
  DefaultSchedulerService,
  type DefaultSchedulerServiceOptions,
} from './DefaultSchedulerService';
export { TaskAbortedError } from './TaskAbortedError';
