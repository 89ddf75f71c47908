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
