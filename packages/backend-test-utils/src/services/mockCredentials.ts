import type {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstagePrincipalAccessRestrictions,
  BackstageServicePrincipal,
  BackstageUserInfo,
  BackstageUserPrincipal,
  UserInfoService,
} from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';

/** The prefixes of the tokens the mock auth services understand. */
export const mockTokenPrefix = {
  user: 'mock-user-token',
  limitedUser: 'mock-limited-user-token',
  service: 'mock-service-token',
} as const;

/** A token the mock auth services always reject. */
export const mockInvalidToken = 'mock-invalid-token';

const defaultUserRef = 'user:default/mock';
const defaultServiceSubject = 'external:test-service';

function credentials<T>(principal: T): BackstageCredentials<T> {
  return { $$type: '@backstage/BackstageCredentials', principal };
}

function encode(prefix: string, claims: Record<string, unknown>): string {
  return Object.keys(claims).length === 0
    ? prefix
    : `${prefix}:${JSON.stringify(claims)}`;
}

function none(): BackstageCredentials<BackstageNonePrincipal> {
  return credentials({ type: 'none' });
}
/** The header of a request without credentials: none. */
none.header = (): undefined => undefined;

function user(
  userEntityRef: string = defaultUserRef,
): BackstageCredentials<BackstageUserPrincipal> {
  return credentials({ type: 'user', userEntityRef });
}
/** A token the mock auth services accept as this user. */
user.token = (userEntityRef?: string) =>
  encode(mockTokenPrefix.user, userEntityRef ? { sub: userEntityRef } : {});
/** `Authorization` header value carrying {@link mockCredentials.user.token}. */
user.header = (userEntityRef?: string) => `Bearer ${user.token(userEntityRef)}`;
/** A user token the mock auth services reject. */
user.invalidToken = () => mockInvalidToken;
/** `Authorization` header value carrying a rejected token. */
user.invalidHeader = () => `Bearer ${mockInvalidToken}`;

function limitedUser(
  userEntityRef: string = defaultUserRef,
): BackstageCredentials<BackstageUserPrincipal> {
  return user(userEntityRef);
}
/** A cookie token the mock auth services accept with limited access only. */
limitedUser.token = (userEntityRef?: string) =>
  encode(
    mockTokenPrefix.limitedUser,
    userEntityRef ? { sub: userEntityRef } : {},
  );

function service(
  subject: string = defaultServiceSubject,
  accessRestrictions?: BackstagePrincipalAccessRestrictions,
): BackstageCredentials<BackstageServicePrincipal> {
  return credentials({
    type: 'service',
    subject,
    ...(accessRestrictions ? { accessRestrictions } : {}),
  });
}
/**
 * A service token; with `targetPluginId` only that plugin accepts it, with
 * `onBehalfOf` it carries those credentials' principal.
 */
service.token = (options?: {
  subject?: string;
  targetPluginId?: string;
  onBehalfOf?: BackstageCredentials;
}) => {
  const claims: Record<string, unknown> = {};
  if (options?.subject) claims.sub = options.subject;
  if (options?.targetPluginId) claims.target = options.targetPluginId;
  if (options?.onBehalfOf) claims.obo = options.onBehalfOf.principal;
  return encode(mockTokenPrefix.service, claims);
};
/** `Authorization` header value carrying {@link mockCredentials.service.token}. */
service.header = (options?: Parameters<typeof service.token>[0]) =>
  `Bearer ${service.token(options)}`;
/** A service token the mock auth services reject. */
service.invalidToken = () => mockInvalidToken;
/** `Authorization` header value carrying a rejected token. */
service.invalidHeader = () => `Bearer ${mockInvalidToken}`;

/**
 * Credentials, tokens and `Authorization` headers for tests, understood by
 * `mockServices.auth` and `mockServices.httpAuth`.
 *
 * @example
 * ```ts
 * await request(backend.server)
 *   .get('/api/todo/items')
 *   .set('Authorization', mockCredentials.user.header('user:default/jane'));
 * ```
 * @public
 */
export const mockCredentials = { none, user, limitedUser, service };

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
