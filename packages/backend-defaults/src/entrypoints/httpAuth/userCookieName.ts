/**
 * The cookie that carries a limited user token. Backstage's name, so a
 * Backstage frontend's cookie flow works unchanged.
 */
export const userCookieName = 'backstage-auth';
