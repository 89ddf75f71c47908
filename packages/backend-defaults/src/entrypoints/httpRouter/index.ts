export {
  DefaultHttpRouterService,
  type DefaultHttpRouterServiceOptions,
} from './DefaultHttpRouterService';
export { httpRouterServiceFactory } from './httpRouterServiceFactory';
