import type {
  AuthService,
  BackstageCredentials,
  BackstageUserInfo,
  BackstageUserPrincipal,
} from '@plinth/backend-plugin-api';

/** Options for {@link UserTokenCache}. */
export interface UserTokenCacheOptions {
  auth: AuthService;
  /** The plugin the tokens are for. */
  targetPluginId: string;
  /** @defaultValue 60 seconds */
  maxAgeMs?: number;
  /** @defaultValue 1000 users */
  maxEntries?: number;
}

interface Entry {
  token: Promise<string>;
  issuedAt: number;
}

/**
 * Tokens on behalf of users for one plugin, reused for a short while:
 * signing one costs most of a policy decision, and a user asks for many
 * decisions in a row. A token is reused only while it is younger than
 * `maxAgeMs`, and only if the user's credentials outlive it by
 * `maxAgeMs` more, so every token handed out still has at least
 * `maxAgeMs` to live (plugin tokens live minutes). Tokens are keyed by
 * what they say: the user, their ownership refs and the credentials'
 * expiry; the oldest user is forgotten when `maxEntries` are kept.
 *
 * @internal
 */
export class UserTokenCache {
  readonly #auth: AuthService;
  readonly #targetPluginId: string;
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: UserTokenCacheOptions) {
    this.#auth = options.auth;
    this.#targetPluginId = options.targetPluginId;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  /** A token on behalf of the user, fresh or at most `maxAgeMs` old. */
  getToken(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    info: BackstageUserInfo,
  ): Promise<string> {
    const now = Date.now();
    const expiresAt = credentials.expiresAt?.getTime();
    if (expiresAt !== undefined && expiresAt - now < 2 * this.#maxAgeMs) {
      return this.#sign(credentials);
    }
    const key = JSON.stringify([
      info.userEntityRef,
      info.ownershipEntityRefs,
      expiresAt ?? null,
    ]);
    const cached = this.#entries.get(key);
    if (cached && now - cached.issuedAt < this.#maxAgeMs) {
      return cached.token;
    }
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    const token = this.#sign(credentials);
    const entry = { token, issuedAt: now };
    this.#entries.set(key, entry);
    // A failed signature is not kept: the next decision tries again.
    token.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return token;
  }

  async #sign(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<string> {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: this.#targetPluginId,
    });
    return token;
  }
}
