import type {
  BackstageCredentials,
  BackstageUserInfo,
  UserInfoService,
} from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';

/**
 * A {@link @plinth/backend-plugin-api#UserInfoService} for tests: a user
 * owns through their own ref plus the `ownershipEntityRefs` given here.
 *
 * @public
 */
export class MockUserInfoService implements UserInfoService {
  readonly #ownership: Record<string, string[]>;

  /** `ownership` maps a user ref to the group refs it owns through. */
  constructor(options?: { ownership?: Record<string, string[]> }) {
    this.#ownership = options?.ownership ?? {};
  }

  async getUserInfo(
    credentials: BackstageCredentials,
  ): Promise<BackstageUserInfo> {
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user' || !principal.userEntityRef) {
      throw new InputError(
        `User info needs user credentials; got ${principal.type ?? 'unknown'} credentials.`,
      );
    }
    const ref = principal.userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...(this.#ownership[ref] ?? [])],
    };
  }
}
