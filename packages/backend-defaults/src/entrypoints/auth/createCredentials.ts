import type {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  JsonObject,
} from '@plinth/backend-plugin-api';
import { AuthenticationError, quoteList } from '@plinth/errors';
import { tokenTypes, type VerifiedToken } from './TokenKeyring';

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

const pluginSubjectPattern = /^plugin:[a-z][a-z0-9-]*$/i;

/**
 * Turns a verified token into credentials for plugin `pluginId`: a plugin
 * token must be meant for it, and a limited user token is only accepted
 * with `allowLimitedAccess`.
 *
 * @throws `AuthenticationError` for a token meant for another plugin, a
 *   refused limited token, or claims of the wrong shape.
 */
export function readTokenCredentials(
  verified: VerifiedToken,
  options: { pluginId: string; allowLimitedAccess: boolean },
): BackstageCredentials {
  const { payload, expiresAt } = verified;
  const typ = payload.typ ?? verified.header.typ;
  if (typ === tokenTypes.service) {
    return readServiceToken(payload, expiresAt, options.pluginId);
  }
  if (typ === tokenTypes.limitedUser && !options.allowLimitedAccess) {
    throw new AuthenticationError(
      `Limited user token refused by plugin '${options.pluginId}': such tokens come from cookies and are only accepted on routes that allow cookie access; send the user's full token in the 'Authorization' header.`,
    );
  }
  const sub = readString(payload, 'sub');
  return createCredentials(
    { type: 'user', userEntityRef: sub },
    { expiresAt, user: { ownershipEntityRefs: readEnt(payload, sub) } },
  );
}

function readServiceToken(
  payload: JsonObject,
  expiresAt: Date,
  pluginId: string,
): BackstageCredentials {
  const audiences = [payload.aud].flat();
  if (!audiences.includes(pluginId)) {
    const meantFor = quoteList(audiences.filter(a => typeof a === 'string'));
    throw new AuthenticationError(
      `Token meant for plugin ${meantFor || 'none'} refused by plugin '${pluginId}'; request one with auth.getPluginRequestToken({ targetPluginId: '${pluginId}' }).`,
    );
  }
  const sub = readString(payload, 'sub');
  if (!pluginSubjectPattern.test(sub)) {
    throw malformedClaim('sub', `'plugin:<pluginId>'`);
  }
  const actor: BackstageServicePrincipal = { type: 'service', subject: sub };
  if (payload.obo === undefined) {
    return createCredentials(actor, { expiresAt });
  }
  const obo = readString(payload, 'obo');
  return createCredentials(
    { type: 'user', userEntityRef: obo, actor },
    { expiresAt, user: { ownershipEntityRefs: readEnt(payload, obo) } },
  );
}

function readString(payload: JsonObject, claim: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '') {
    throw malformedClaim(claim, 'a non-empty string');
  }
  return value;
}

/** The user's ownership refs; just the user when the token lists none. */
function readEnt(payload: JsonObject, userEntityRef: string): string[] {
  const { ent } = payload;
  if (ent === undefined) {
    return [userEntityRef];
  }
  if (!Array.isArray(ent) || !ent.every(e => typeof e === 'string')) {
    throw malformedClaim('ent', 'an array of entity refs');
  }
  return ent;
}

function malformedClaim(claim: string, expected: string) {
  return new AuthenticationError(
    `Malformed token: its claim '${claim}' must be ${expected}; ask its issuer for a token with the claims Plinth expects.`,
  );
}
