import { createHash, randomBytes } from 'node:crypto';
import type {
  BackstagePrincipalAccessRestrictions,
  BackstageServicePrincipal,
} from '@plinth/backend-plugin-api';
import type {
  ApiToken,
  ApiTokenCreateRequest,
  ApiTokensService,
} from '@plinth/backend-plugin-api/alpha';
import {
  AuthenticationError,
  ConflictError,
  NotAllowedError,
  NotFoundError,
  quoteList,
} from '@plinth/errors';
import type { AuditorEvent, AuditorSink } from '../auditor/AuditorSink';
import type { ApiTokensStore, StoredApiToken } from './ApiTokensStore';
import {
  assertApiTokenName,
  assertApiTokenRequest,
} from './assertApiTokenRequest';

/**
 * Every secret starts with this, so secret scanners can recognise leaked
 * tokens and the auth service can tell them from static and signed ones.
 */
export const API_TOKEN_PREFIX = 'plinth_pat_';

/**
 * How long a replica trusts what it read about a token. A revocation takes
 * effect at once on the replica that revokes, and within this time on the
 * others; meanwhile a busy token costs one query per replica per period,
 * which also bounds the writes of `lastUsedAt`.
 */
export const API_TOKEN_CACHE_MS = 10_000;
/** Enough for every token of a large backend; the oldest entry goes first. */
const maxCacheEntries = 1000;

/**
 * Options for {@link DefaultApiTokensService.create}.
 *
 * @public
 */
export interface DefaultApiTokensServiceOptions {
  /** Opens the store; called on first use, so a backend that never sees a token never connects. */
  openStore: () => Promise<ApiTokensStore>;
  /** Every use of a token is written to each, as an audit event. */
  sinks: readonly AuditorSink[];
  /** From `backend.auth.apiTokens.maxLifetime`. */
  maxLifetimeMs: number;
}

/**
 * API tokens in the database, as hashes, with a short cache for
 * verification; see {@link API_TOKEN_CACHE_MS} for how soon a revocation
 * reaches other replicas.
 *
 * @public
 */
export class DefaultApiTokensService implements ApiTokensService {
  readonly #options: DefaultApiTokensServiceOptions;
  readonly #cache = new Map<
    string,
    { token: StoredApiToken; readAt: number }
  >();
  #store?: Promise<ApiTokensStore>;

  /**
   * @example
   * ```ts
   * const tokens = DefaultApiTokensService.create({
   *   openStore: async () => ApiTokensStore.open(knex),
   *   sinks: [LoggerAuditorSink.create({ logger })],
   *   maxLifetimeMs: 90 * 86_400_000,
   * });
   * ```
   */
  static create(
    options: DefaultApiTokensServiceOptions,
  ): DefaultApiTokensService {
    return new DefaultApiTokensService(options);
  }

  private constructor(options: DefaultApiTokensServiceOptions) {
    this.#options = options;
  }

  isApiToken(token: string): boolean {
    return token.startsWith(API_TOKEN_PREFIX);
  }

  async create(
    request: ApiTokenCreateRequest,
  ): Promise<{ token: ApiToken; secret: string }> {
    const { scopes, expiresAt } = assertApiTokenRequest(
      request,
      this.#options.maxLifetimeMs,
    );
    const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const result = await (
      await this.#openStore()
    ).insert({
      name: request.name,
      tokenHash: hashSecret(secret),
      scopes,
      createdBy: request.createdBy,
      expiresAt,
    });
    if ('conflict' in result) {
      throw new ConflictError(
        `API token '${request.name}' exists and is active until ${result.conflict.expiresAt}; revoke it first with \`yarn plinth token revoke ${request.name}\`, or pick another name.`,
      );
    }
    return { token: withoutId(result.created), secret };
  }

  async list(): Promise<ApiToken[]> {
    return (await (await this.#openStore()).list()).map(withoutId);
  }

  async get(name: string): Promise<ApiToken> {
    assertApiTokenName(name);
    const token = await (await this.#openStore()).findByName(name);
    if (!token) {
      throw notFound(name);
    }
    return withoutId(token);
  }

  async revoke(
    name: string,
    options: { revokedBy: string },
  ): Promise<ApiToken> {
    assertApiTokenName(name);
    const token = await (
      await this.#openStore()
    ).revoke(name, options.revokedBy);
    if (!token) {
      throw notFound(name);
    }
    for (const [hash, entry] of this.#cache) {
      if (entry.token.name === name) {
        this.#cache.delete(hash);
      }
    }
    return withoutId(token);
  }

  async authenticate(
    secret: string,
    options: { pluginId: string },
  ): Promise<BackstageServicePrincipal> {
    const token = await this.#find(hashSecret(secret));
    const subject = token && `external:api-token:${token.name}`;
    let principal: BackstageServicePrincipal;
    try {
      principal = checkToken(token, options.pluginId);
    } catch (error) {
      await this.#audit(options.pluginId, subject, token, error as Error);
      throw error;
    }
    await this.#audit(options.pluginId, subject, token);
    return principal;
  }

  async #find(tokenHash: string): Promise<StoredApiToken | undefined> {
    const now = Date.now();
    const cached = this.#cache.get(tokenHash);
    if (cached && now - cached.readAt < API_TOKEN_CACHE_MS) {
      return cached.token;
    }
    const store = await this.#openStore();
    const token = await store.findByHash(tokenHash);
    this.#cache.delete(tokenHash);
    if (!token) {
      return undefined;
    }
    if (this.#cache.size >= maxCacheEntries) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(tokenHash, { token, readAt: now });
    if (!token.revokedAt && Date.parse(token.expiresAt) > now) {
      // Once per cache period, so a busy token does not write per request.
      await store.touch(token.id);
    }
    return token;
  }

  #openStore(): Promise<ApiTokensStore> {
    if (!this.#store) {
      const store = this.#options.openStore();
      this.#store = store;
      // A failed connection is not kept, so the next request tries again.
      store.catch(() => {
        if (this.#store === store) {
          this.#store = undefined;
        }
      });
    }
    return this.#store;
  }

  async #audit(
    pluginId: string,
    subject: string | undefined,
    token: StoredApiToken | undefined,
    error?: Error,
  ): Promise<void> {
    const common = {
      plugin: pluginId,
      eventId: 'api-token-use',
      severityLevel: 'medium' as const,
      actor: subject ? { actorId: subject } : {},
      ...(token && { meta: { tokenName: token.name } }),
    };
    const event: AuditorEvent = error
      ? {
          ...common,
          status: 'failed',
          error: { name: error.name, message: error.message },
        }
      : { ...common, status: 'succeeded' };
    for (const sink of this.#options.sinks) {
      await sink.write(event);
    }
  }
}

/**
 * The principal of a usable token for plugin `pluginId`; the auth
 * service's 401s and 403s otherwise, each saying what to do.
 */
function checkToken(
  token: StoredApiToken | undefined,
  pluginId: string,
): BackstageServicePrincipal {
  const create = `create a new one with \`yarn plinth token create\``;
  if (!token) {
    throw new AuthenticationError(
      `Unknown API token: it matches no token of this backend, or one that was replaced; check the token, or ${create}.`,
    );
  }
  if (token.revokedAt) {
    throw new AuthenticationError(
      `API token '${token.name}' was revoked at ${token.revokedAt} by '${token.revokedBy}'; ${create}.`,
    );
  }
  if (Date.parse(token.expiresAt) <= Date.now()) {
    throw new AuthenticationError(
      `API token '${token.name}' expired at ${token.expiresAt}; ${create}.`,
    );
  }
  const { pluginIds, permissionNames, readOnly } = token.scopes;
  if (pluginIds && !pluginIds.includes(pluginId)) {
    throw new NotAllowedError(
      `API token '${token.name}' may not call plugin '${pluginId}': its scope 'pluginIds' allows only ${quoteList(pluginIds)}. Create a token whose scopes include plugin '${pluginId}'.`,
    );
  }
  const principal: BackstageServicePrincipal = {
    type: 'service',
    subject: `external:api-token:${token.name}`,
  };
  // The permissions service decides service principals from exactly these
  // restrictions, as it does for Backstage's static tokens.
  const restrictions: BackstagePrincipalAccessRestrictions = {};
  if (pluginIds) {
    restrictions.pluginIds = [...pluginIds];
  }
  if (permissionNames) {
    restrictions.permissionNames = [...permissionNames];
  }
  if (readOnly) {
    restrictions.permissionAttributes = { action: ['read'] };
  }
  if (Object.keys(restrictions).length > 0) {
    principal.accessRestrictions = restrictions;
  }
  return principal;
}

/**
 * Tokens are looked up by this digest, never by the secret, so how long a
 * lookup takes tells a caller nothing about any stored secret, as with the
 * static tokens of the auth service.
 */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function withoutId({ id: _id, ...token }: StoredApiToken): ApiToken {
  return token;
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(
    `No API token named '${name}'; list the tokens with \`yarn plinth token list\`.`,
  );
}
