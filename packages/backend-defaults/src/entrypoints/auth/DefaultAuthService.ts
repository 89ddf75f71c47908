import {
  type AuthService,
  type BackstageCredentials,
  type BackstageNonePrincipal,
  type BackstagePrincipalTypes,
  type BackstageServicePrincipal,
  type BackstageUserPrincipal,
  describeIdRule,
  isValidId,
  type JsonObject,
} from '@plinth/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  quoteList,
} from '@plinth/errors';
import type { AuthRootContext } from './createAuthRootContext';
import {
  createCredentials,
  readTokenCredentials,
  readUserCredentialsDetails,
} from './createCredentials';
import { InvalidTokenError } from './InvalidTokenError';
import type { StaticAccessEntry } from './readAuthConfig';
import {
  clockToleranceSeconds,
  tokenLifetimeSeconds,
  tokenTypes,
} from './TokenKeyring';

/**
 * The default {@link @plinth/backend-plugin-api#AuthService} of one plugin:
 * verifies user, plugin and static tokens against the keys shared through
 * the root context, and issues plugin-to-plugin and limited user tokens.
 */
export class DefaultAuthService implements AuthService {
  readonly #pluginId: string;
  readonly #context: AuthRootContext;
  /** The accepted token types, each with the longest lifetime it may claim. */
  readonly #maxLifetimes: Readonly<Record<string, number>>;

  /**
   * Creates the auth service of one plugin.
   *
   * @example
   * ```ts
   * const context = await createAuthRootContext({ config, logger });
   * const auth = DefaultAuthService.create({ pluginId: 'catalog', context });
   * ```
   */
  static create(options: {
    pluginId: string;
    context: AuthRootContext;
  }): DefaultAuthService {
    return new DefaultAuthService(options.pluginId, options.context);
  }

  private constructor(pluginId: string, context: AuthRootContext) {
    this.#pluginId = pluginId;
    this.#context = context;
    if (context.developmentToken !== undefined) {
      withDevelopmentToken.add(this);
    }
    this.#maxLifetimes = {
      [tokenTypes.service]: tokenLifetimeSeconds.service,
      [tokenTypes.user]: context.maxUserTokenLifetimeSeconds,
      // Limited tokens may come from other issuers sharing the key, so they
      // get the same leeway as the other time checks on top of their hour.
      [tokenTypes.limitedUser]:
        tokenLifetimeSeconds.limitedUser + clockToleranceSeconds,
    };
  }

  /**
   * Verifies a static, API, plugin or user token. A signed token needs `iat`
   * and `exp` in whole seconds, and may live (`exp - iat`) no longer than
   * its type allows: plugin tokens 10 minutes, limited user tokens an hour
   * (plus the clock tolerance), user tokens
   * `backend.auth.maxUserTokenLifetime`.
   *
   * @throws `AuthenticationError` when the token is missing, malformed,
   *   expired, valid for longer than its type allows, signed with an
   *   unknown key, meant for another plugin, an unknown static token or an
   *   unknown, expired or revoked API token; `NotAllowedError` when a
   *   static or API token may not call this plugin.
   */
  async authenticate(
    token: string,
    options?: { allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials> {
    if (!token) {
      throw new AuthenticationError(
        `Missing token: plugin '${this.#pluginId}' was asked to authenticate an empty token; send one as 'Authorization: Bearer <token>'.`,
      );
    }
    const entry = this.#context.staticTokens.find(token);
    if (entry) {
      return this.#authenticateStatic(entry);
    }
    const { apiTokens } = this.#context;
    if (apiTokens?.isApiToken(token)) {
      return createCredentials(
        await apiTokens.authenticate(token, { pluginId: this.#pluginId }),
      );
    }
    if (token.split('.').length !== 3) {
      throw new AuthenticationError(
        `Unknown static token: it matches no entry of 'backend.auth.externalAccess' and is not a signed token; check the token, or add it to 'backend.auth.externalAccess' with a subject.${describeDevelopmentTokenHint(this)}`,
      );
    }
    let verified;
    try {
      verified = await this.#context.keyring.verify(token, this.#maxLifetimes);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw toAuthenticationError(error, this.#context);
      }
      throw error;
    }
    return readTokenCredentials(verified, {
      pluginId: this.#pluginId,
      allowLimitedAccess: options?.allowLimitedAccess ?? false,
    });
  }

  isPrincipal<TType extends keyof BackstagePrincipalTypes>(
    credentials: BackstageCredentials,
    type: TType,
  ): credentials is BackstageCredentials<BackstagePrincipalTypes[TType]> {
    if (type === 'unknown') {
      return true;
    }
    const principal = credentials.principal as { type?: unknown } | undefined;
    return principal?.type === type;
  }

  async getNoneCredentials(): Promise<
    BackstageCredentials<BackstageNonePrincipal>
  > {
    return createCredentials({ type: 'none' });
  }

  async getOwnServiceCredentials(): Promise<
    BackstageCredentials<BackstageServicePrincipal>
  > {
    return createCredentials({
      type: 'service',
      subject: `plugin:${this.#pluginId}`,
    });
  }

  /**
   * Issues a token for `targetPluginId`, signed as this plugin and, for a
   * user, carrying their entity ref (`obo`) and ownership refs (`ent`).
   * Service credentials of any caller, static tokens included, are
   * forwarded as this plugin itself. With
   * `backend.auth.dangerouslyDisableDefaultAuthPolicy`, none credentials
   * give an empty token, so unauthenticated calls stay unauthenticated.
   *
   * @throws `InputError` for an invalid plugin id or credentials this
   *   service did not create; `AuthenticationError` for none credentials or
   *   expired user credentials.
   */
  async getPluginRequestToken(options: {
    onBehalfOf: BackstageCredentials;
    targetPluginId: string;
  }): Promise<{ token: string }> {
    const { onBehalfOf, targetPluginId } = options;
    if (!isValidId('plugin id', targetPluginId)) {
      throw new InputError(
        `Cannot issue a token for plugin ${JSON.stringify(targetPluginId)}: it is not a plugin id, which uses ${describeIdRule('plugin id')}; pass the id the target plugin was created with.`,
      );
    }
    const nowSeconds = Math.floor(Date.now() / 1000);
    const payload: JsonObject & { typ: string } = {
      typ: tokenTypes.service,
      sub: `plugin:${this.#pluginId}`,
      aud: targetPluginId,
      iat: nowSeconds,
      exp: nowSeconds + tokenLifetimeSeconds.service,
    };
    if (this.isPrincipal(onBehalfOf, 'user')) {
      const { userEntityRef } = onBehalfOf.principal;
      payload.obo = userEntityRef;
      payload.ent = this.#requireUserDetails(onBehalfOf).ownershipEntityRefs;
      payload.exp = Math.min(
        payload.exp as number,
        this.#userExpiry(onBehalfOf),
      );
    } else if (this.isPrincipal(onBehalfOf, 'none')) {
      if (this.#context.disableDefaultAuthPolicy) {
        return { token: '' };
      }
      throw new AuthenticationError(
        `Cannot issue a token for plugin '${targetPluginId}' on behalf of unauthenticated credentials; to call it as plugin '${this.#pluginId}', pass await auth.getOwnServiceCredentials() as onBehalfOf.`,
      );
    } else if (!this.isPrincipal(onBehalfOf, 'service')) {
      throw new InputError(
        `Cannot issue a token for plugin '${targetPluginId}': onBehalfOf is not credentials from the auth service; pass credentials from httpAuth.credentials() or auth.getOwnServiceCredentials().`,
      );
    }
    return { token: await this.#context.keyring.sign(payload) };
  }

  /**
   * Issues a short-lived user token for a cookie: it lives an hour at most,
   * and no longer than the credentials it comes from.
   *
   * @throws `InputError` for credentials of another principal type or not
   *   created by this service; `AuthenticationError` when they expired.
   */
  async getLimitedUserToken(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<{ token: string; expiresAt: Date }> {
    const principal = credentials?.principal as { type?: unknown } | undefined;
    if (principal?.type !== 'user') {
      throw new InputError(
        `Cannot issue a limited user token for a '${String(principal?.type)}' principal; pass the credentials of a signed-in user.`,
      );
    }
    const { ownershipEntityRefs } = this.#requireUserDetails(credentials);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const exp = Math.min(
      nowSeconds + tokenLifetimeSeconds.limitedUser,
      this.#userExpiry(credentials),
    );
    const token = await this.#context.keyring.sign({
      typ: tokenTypes.limitedUser,
      sub: credentials.principal.userEntityRef,
      ent: ownershipEntityRefs,
      iat: nowSeconds,
      exp,
    });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async listPublicServiceKeys(): Promise<{ keys: JsonObject[] }> {
    return { keys: this.#context.keyring.listPublicKeys() };
  }

  #authenticateStatic(entry: StaticAccessEntry): BackstageCredentials {
    const subject = `external:${entry.subject}`;
    const { pluginIds } = entry;
    if (!pluginIds) {
      return createCredentials({ type: 'service', subject });
    }
    if (!pluginIds.includes(this.#pluginId)) {
      throw new NotAllowedError(
        `Static token of '${subject}' may not call plugin '${this.#pluginId}'; its accessRestrictions allow only ${quoteList(pluginIds)}. To allow it, add { plugin: '${this.#pluginId}' } to its accessRestrictions in 'backend.auth.externalAccess'.`,
      );
    }
    return createCredentials({
      type: 'service',
      subject,
      accessRestrictions: { pluginIds: [...pluginIds] },
    });
  }

  #requireUserDetails(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ) {
    const details = readUserCredentialsDetails(credentials);
    if (!details) {
      throw new InputError(
        `Credentials of '${credentials.principal.userEntityRef}' were not created by this backend's auth service, so their ownership is unknown; pass the credentials from httpAuth.credentials() or auth.authenticate().`,
      );
    }
    return details;
  }

  /** The user's expiry in seconds, once checked that it has not passed. */
  #userExpiry(credentials: BackstageCredentials<BackstageUserPrincipal>) {
    if (!credentials.expiresAt) {
      return Infinity;
    }
    if (credentials.expiresAt.getTime() <= Date.now()) {
      throw new AuthenticationError(
        `Credentials of '${credentials.principal.userEntityRef}' expired at ${credentials.expiresAt.toISOString()}; the user must sign in again.`,
      );
    }
    return Math.floor(credentials.expiresAt.getTime() / 1000);
  }
}

/**
 * Turns a failed token check into the `AuthenticationError` (401) that
 * reaches the caller, phrased as what they can do about it. The original
 * error stays attached as the cause, for logs.
 *
 * @param context - whether `backend.auth.keys` are configured, which
 *   changes the advice for tokens signed with an unknown key, and the
 *   longest lifetime of a user token, which the advice for long-lived
 *   tokens names.
 */
function toAuthenticationError(
  error: InvalidTokenError,
  context: Pick<AuthRootContext, 'keyring' | 'maxUserTokenLifetimeSeconds'>,
): AuthenticationError {
  return new AuthenticationError(describeTokenFailure(error, context), error);
}

function describeTokenFailure(
  error: InvalidTokenError,
  context: Pick<AuthRootContext, 'keyring' | 'maxUserTokenLifetimeSeconds'>,
): string {
  const resend = 'send the token exactly as it was issued';
  const keyAdvice = context.keyring.shared
    ? `check that its issuer signs with one of the secrets in 'backend.auth.keys'`
    : `no 'backend.auth.keys' are configured, so only tokens issued by this process verify; set 'backend.auth.keys' to the same secret on every replica and identity provider`;
  switch (error.reason) {
    case 'malformed':
      return `Malformed token: ${error.detail}; ${resend}.`;
    case 'bad-encoding':
      return `Malformed token: its ${error.detail} is not valid base64url; ${resend}.`;
    case 'alg-none':
      return `Unsigned token refused: its header has alg 'none'; send a signed token.`;
    case 'alg-mismatch':
      return `Token signed with an unknown key: it uses alg '${error.detail}', which none of this backend's keys use; ${keyAdvice}.`;
    case 'bad-signature':
      return `Token signed with an unknown key: its signature matches none of this backend's keys; ${keyAdvice}.`;
    case 'expired':
      return `Token expired at ${error.detail}; request a new token.`;
    case 'not-yet-valid':
      return `Token not valid before ${error.detail}; check that the clocks of its issuer and this server agree.`;
    case 'wrong-type':
      return `Token of type ${error.detail === undefined ? 'none' : `'${error.detail}'`} refused; send a user token ('${tokenTypes.user}'), a plugin token ('${tokenTypes.service}') or a static token from 'backend.auth.externalAccess'.`;
    case 'lifetime-too-long':
      return describeLifetimeLimit(error.detail, context);
    case 'invalid-claim':
      // The token check's own message names the claim and what it must be.
      return error.message;
  }
}

function describeLifetimeLimit(
  type: string | undefined,
  context: Pick<AuthRootContext, 'maxUserTokenLifetimeSeconds'>,
): string {
  const tooLong = 'Invalid token: it is valid for longer than the';
  switch (type) {
    case tokenTypes.service:
      return `${tooLong} ${describeSeconds(tokenLifetimeSeconds.service)} that plugin tokens may live; issue plugin tokens with auth.getPluginRequestToken().`;
    case tokenTypes.limitedUser:
      return `${tooLong} ${describeSeconds(tokenLifetimeSeconds.limitedUser)} that limited user tokens may live; issue them with auth.getLimitedUserToken().`;
    default:
      return `${tooLong} ${describeSeconds(context.maxUserTokenLifetimeSeconds)} that 'backend.auth.maxUserTokenLifetime' allows for user tokens; issue shorter-lived tokens.`;
  }
}

/** `86400` as `24 hours`, `5430` as `1 hour 30 minutes 30 seconds`. */
function describeSeconds(total: number): string {
  const parts: Array<[number, string]> = [
    [Math.floor(total / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  return parts
    .filter(([amount]) => amount > 0)
    .map(([amount, unit]) => `${amount} ${unit}${amount === 1 ? '' : 's'}`)
    .join(' ');
}

/** Auth services of backends that issued a development token. */
const withDevelopmentToken = new WeakSet<AuthService>();

/**
 * What a 401 adds when the backend of `auth` has issued a development
 * token: the token changes with every start, so the one a developer sends
 * is most likely from an earlier run, or missing.
 *
 * @internal
 */
export function describeDevelopmentTokenHint(auth: AuthService): string {
  return withDevelopmentToken.has(auth)
    ? " In development, send the development token of this run: the backend logged it at start-up ('Development token for subject ...'), and it issues a new one on every start, so one from an earlier run is refused."
    : '';
}
