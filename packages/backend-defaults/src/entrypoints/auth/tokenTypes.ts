/**
 * The `typ` of each kind of token the auth service issues or accepts.
 * User tokens keep Backstage's names so identity providers built for
 * Backstage can issue them.
 */
export const tokenTypes = {
  /** Plugin-to-plugin tokens, issued by `getPluginRequestToken`. */
  service: 'vnd.plinth.service',
  /** Full user tokens, issued by an identity provider sharing a key. */
  user: 'vnd.backstage.user',
  /** Short-lived user tokens for cookies, from `getLimitedUserToken`. */
  limitedUser: 'vnd.backstage.limited-user',
} as const;

/**
 * How long the tokens this backend issues live, in seconds; a token of
 * these types that claims to live longer is refused, whoever signed it.
 */
export const tokenLifetimeSeconds = {
  /**
   * Plugin-to-plugin tokens: ample for one call, which is what callers
   * request them for, and short enough that a leaked token is soon useless.
   */
  service: 10 * 60,
  /** Limited user tokens (cookies), at most. */
  limitedUser: 60 * 60,
} as const;
