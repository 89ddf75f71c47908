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

/**
 * The backend's HTTP server, which plugin routers are mounted on.
 *
 * @public
 */
export interface RootHttpRouterService {
  /** Mounts a handler at a path prefix, such as `/api/catalog`. */
  use(path: string, handler: Handler): void;
}

/**
 * A health answer; `reason` says why when `ok` is false.
 *
 * @public
 */
export interface HealthStatus {
  ok: boolean;
  reason?: string;
}

/**
 * Tells load balancers whether this process should receive traffic.
 *
 * @public
 */
export interface RootHealthService {
  /** Whether the process is alive at all. */
  getLiveness(): Promise<HealthStatus>;
  /** `ok: false` before startup completes and from the moment shutdown begins. */
  getReadiness(): Promise<HealthStatus>;
}

/**
 * Finds the base URLs of plugins.
 *
 * @public
 */
export interface DiscoveryService {
  /** The URL other backend plugins use, such as `http://localhost:7007/api/catalog`. */
  getBaseUrl(pluginId: string): Promise<string>;
  /** The URL callers outside the backend use. */
  getExternalBaseUrl(pluginId: string): Promise<string>;
}
