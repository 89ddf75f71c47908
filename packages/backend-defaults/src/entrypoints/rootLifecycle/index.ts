export { rootLifecycleServiceFactory } from './rootLifecycleServiceFactory';
