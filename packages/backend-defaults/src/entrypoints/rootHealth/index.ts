export { DefaultRootHealthService } from './DefaultRootHealthService';
export { rootHealthServiceFactory } from './rootHealthServiceFactory';
