import type {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@plinth/backend-plugin-api';

/** What the auth service knows about a user beyond the principal. */
export interface UserCredentialsDetails {
  /** The user and their groups, from the token's `ent` claim. */
  ownershipEntityRefs: string[];
}

// Kept out of the credentials object so that it stays plain data that
// plugins can log, and so that plugins cannot forge ownership.
const userDetails = new WeakMap<BackstageCredentials, UserCredentialsDetails>();

/**
 * Builds a credentials object. For a user, also records the ownership refs
 * read from their verified token, for `userInfo` and limited tokens.
 */
export function createCredentials<
  TPrincipal extends
    BackstageUserPrincipal | BackstageServicePrincipal | BackstageNonePrincipal,
>(
  principal: TPrincipal,
  options?: { expiresAt?: Date; user?: UserCredentialsDetails },
): BackstageCredentials<TPrincipal> {
  const credentials: BackstageCredentials<TPrincipal> = {
    $$type: '@backstage/BackstageCredentials',
    principal,
  };
  if (options?.expiresAt) {
    credentials.expiresAt = options.expiresAt;
  }
  if (options?.user) {
    userDetails.set(credentials, options.user);
  }
  return credentials;
}

/**
 * The user details recorded by {@link createCredentials}; `undefined` for
 * credentials this backend's auth service did not create.
 */
export function readUserCredentialsDetails(
  credentials: BackstageCredentials,
): UserCredentialsDetails | undefined {
  return userDetails.get(credentials);
}
