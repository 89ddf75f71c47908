import type { Handler } from 'express';

/**
 * Declares which requests to a plugin path may skip authentication.
 *
 * @public
 */
export interface HttpRouterServiceAuthPolicy {
  /** A path below the plugin's base path, such as `/health`. */
  path: string;
  allow: 'unauthenticated' | 'user-cookie';
}

/**
 * A plugin's HTTP routes, served under `/api/<pluginId>`.
 *
 * @public
 */
export interface HttpRouterService {
  use(handler: Handler): void;
  /** Lets some paths through without credentials; every other path requires them. */
  addAuthPolicy(policy: HttpRouterServiceAuthPolicy): void;
}
