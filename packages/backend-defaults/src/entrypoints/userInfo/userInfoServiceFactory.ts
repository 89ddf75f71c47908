import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { DefaultUserInfoService } from './DefaultUserInfoService';

/**
 * The default {@link @plinth/backend-plugin-api#UserInfoService}: user
 * details from the claims of verified user tokens.
 *
 * @example
 * ```ts
 * backend.add(userInfoServiceFactory);
 * ```
 * @public
 */
export const userInfoServiceFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => DefaultUserInfoService.create(),
});
