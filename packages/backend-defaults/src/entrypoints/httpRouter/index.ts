export {
  DefaultHttpRouterService,
  type DefaultHttpRouterServiceOptions,
} from './DefaultHttpRouterService';
export { httpRouterServiceFactory } from './httpRouterServiceFactory';
export { RequestBodyTooLargeError } from '../../errors';
export type { ResponseRedactor } from './createResponseRedaction';
