import type { BackstageCredentials } from './AuthService';

/**
 * What is known about a signed-in user.
 *
 * @public
 */
export interface BackstageUserInfo {
  userEntityRef: string;
  /** The user and the groups they belong to, as entity refs. */
  ownershipEntityRefs: string[];
}

/**
 * Looks up details of the user behind credentials.
 *
 * @public
 */
export interface UserInfoService {
  getUserInfo(credentials: BackstageCredentials): Promise<BackstageUserInfo>;
}
