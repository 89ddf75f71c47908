export {
  authServiceFactory,
  createAuthServiceFactory,
  type CreateAuthServiceFactoryOptions,
} from './authServiceFactory';
export type { DevelopmentTokenListener } from './createAuthRootContext';
export { writeDevelopmentToken } from './writeDevelopmentToken';
export { AuthConfigError } from '../../errors';
export {
  InvalidTokenError,
  type InvalidTokenReason,
} from './InvalidTokenError';
