import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type BackstageUserInfo,
  type UserInfoService,
} from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import { readUserCredentialsDetails } from '../auth/createCredentials';

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

/**
 * The default {@link @plinth/backend-plugin-api#UserInfoService}: answers
 * from the claims of the verified token behind the credentials (`sub` and
 * `ent`), with no network call.
 *
 * @public
 */
export class DefaultUserInfoService implements UserInfoService {
  /**
   * Creates the service; it keeps no state of its own.
   *
   * @example
   * ```ts
   * const userInfo = DefaultUserInfoService.create();
   * const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
   * ```
   */
  static create(): DefaultUserInfoService {
    return new DefaultUserInfoService();
  }

  private constructor() {}

  /**
   * @throws `InputError` for credentials that are not a user's, or that
   *   this backend's auth service did not create.
   */
  async getUserInfo(
    credentials: BackstageCredentials,
  ): Promise<BackstageUserInfo> {
    const principal = credentials?.principal as
      | { type?: unknown; subject?: unknown; userEntityRef?: unknown }
      | undefined;
    if (principal?.type !== 'user') {
      const who =
        typeof principal?.subject === 'string'
          ? ` ('${principal.subject}')`
          : '';
      throw new InputError(
        `Cannot get user info for a '${String(principal?.type)}' principal${who}; pass the credentials of a request made by a signed-in user, such as httpAuth.credentials(req, { allow: ['user'] }).`,
      );
    }
    const userEntityRef = String(principal.userEntityRef);
    const details = readUserCredentialsDetails(credentials);
    if (!details) {
      throw new InputError(
        `Cannot get user info for '${userEntityRef}': the credentials were not created by this backend's auth service, so their ownership is unknown; pass the credentials from httpAuth.credentials() or auth.authenticate().`,
      );
    }
    return {
      userEntityRef,
      ownershipEntityRefs: [...details.ownershipEntityRefs],
    };
  }
}
