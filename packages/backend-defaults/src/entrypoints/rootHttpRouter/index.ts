export {
  DefaultRootHttpRouterService,
  type DefaultRootHttpRouterServiceOptions,
  type RootHttpRouterListeningAddress,
} from './DefaultRootHttpRouterService';
export {
  createRootHttpRouterServiceFactory,
  rootHttpRouterServiceFactory,
  type RootHttpRouterServiceFactoryOptions,
} from './rootHttpRouterServiceFactory';
export {
  RuntimeServiceError,
  type RuntimeServiceErrorCode,
} from '../../errors';
