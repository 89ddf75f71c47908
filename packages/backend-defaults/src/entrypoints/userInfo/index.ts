export {
  DefaultUserInfoService,
  userInfoServiceFactory,
} from './userInfoServiceFactory';
