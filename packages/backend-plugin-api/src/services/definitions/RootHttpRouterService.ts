import type { Handler } from 'express';

/**
 * The backend's HTTP server, which plugin routers are mounted on.
 *
 * @public
 */
export interface RootHttpRouterService {
  /** Mounts a handler at a path prefix, such as `/api/catalog`. */
  use(path: string, handler: Handler): void;
}
