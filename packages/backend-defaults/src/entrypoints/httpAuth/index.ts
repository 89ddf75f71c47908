export { httpAuthServiceFactory } from './httpAuthServiceFactory';
export { DefaultHttpAuthService } from './DefaultHttpAuthService';
