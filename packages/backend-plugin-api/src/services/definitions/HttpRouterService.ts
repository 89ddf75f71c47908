import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Handler } from 'express';
import type { BackstageCredentials } from './AuthService';

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
 * What a plugin's WebSocket handler gets: the raw upgrade, as Node.js hands
 * it over, and who the caller is.
 *
 * @public
 */
export interface HttpRouterServiceWebSocketContext {
  /** The upgrade request, with its full URL (`/api/<pluginId>/...`). */
  request: IncomingMessage;
  /** The connection; the handler completes the handshake on it or closes it. */
  socket: Duplex;
  /** The bytes that arrived after the upgrade request's headers. */
  head: Buffer;
  /** The caller's credentials; `none` under `authPolicy: 'unauthenticated'`. */
  credentials: BackstageCredentials;
  /**
   * The `Sec-WebSocket-Protocol` value that held the caller's token, when
   * the token came that way, so that the handler can tell it from the
   * protocols it speaks when it chooses one in the handshake.
   */
  authProtocol?: string;
}

/**
 * Options for {@link HttpRouterService.addWebSocketHandler}.
 *
 * @public
 */
export interface HttpRouterServiceWebSocketHandler {
  /**
   * The exact path below the plugin's base path, such as `/events`; `/` is
   * the base path itself.
   */
  path: string;
  /**
   * Takes over an upgrade whose caller has passed the credentials check.
   * It owns the socket: it completes the handshake (with the `ws` library's
   * `handleUpgrade`, for one) or forwards it, or closes the socket, before
   * its promise settles.
   */
  handler(context: HttpRouterServiceWebSocketContext): void | Promise<void>;
  /**
   * `unauthenticated` hands every upgrade over with `none` credentials, for
   * a handler that checks callers itself; such a handler should also check
   * the `Origin` header when it trusts cookies.
   * @defaultValue a user or service token is required
   */
  authPolicy?: 'unauthenticated';
}

/**
 * A plugin's HTTP routes, served under `/api/<pluginId>`.
 *
 * @public
 */
export interface HttpRouterService {
  use(handler: Handler): void;
  /**
   * Takes WebSocket upgrades to one exact path below `/api/<pluginId>`,
   * such as `/api/<pluginId>/events` for `path: '/events'`. Matching is
   * case-sensitive and ignores the query string; a trailing slash counts.
   *
   * @remarks
   * The upgrade skips the plugin's express routes and the auth policies of
   * {@link HttpRouterService.addAuthPolicy}: it needs a user or service
   * token, sent as `Authorization: Bearer <token>` or as one of the values
   * of `Sec-WebSocket-Protocol` (at most 5 candidates in all), unless
   * `authPolicy` is `unauthenticated`. A refused upgrade gets a 401, 403 or
   * 503 response and its socket is closed; the sockets still open are
   * closed when the backend shuts down.
   *
   * @example
   * ```ts
   * const wss = new WebSocketServer({ noServer: true });
   * httpRouter.addWebSocketHandler({
   *   path: '/events',
   *   handler: ({ request, socket, head }) =>
   *     wss.handleUpgrade(request, socket, head, ws => ws.send('hello')),
   * });
   * ```
   */
  addWebSocketHandler(options: HttpRouterServiceWebSocketHandler): void;
  /** Lets some paths through without credentials; every other path requires them. */
  addAuthPolicy(policy: HttpRouterServiceAuthPolicy): void;
}

/**
 * Options for {@link RootHttpRouterService.addWebSocketHandler}.
 *
 * @public
 */
export interface RootHttpRouterServiceWebSocketHandler {
  /** The exact absolute path, such as `/ws`, without query or fragment. */
  path: string;
  /** Takes over the upgrade; it owns the socket from here on. */
  handler(context: {
    request: IncomingMessage;
    socket: Duplex;
    head: Buffer;
  }): void | Promise<void>;
}

/**
 * The backend's HTTP server, which plugin routers are mounted on.
 *
 * @public
 */
export interface RootHttpRouterService {
  /** Mounts a handler at a path prefix, such as `/api/catalog`. */
  use(path: string, handler: Handler): void;
  /**
   * Takes WebSocket upgrades to one exact absolute path, matched as in
   * {@link HttpRouterService.addWebSocketHandler}.
   *
   * @remarks
   * No credentials check, middleware or request log runs first: the handler
   * checks callers, origins and rates itself. Plugins use their
   * `httpRouter`, which checks credentials, instead.
   */
  addWebSocketHandler(options: RootHttpRouterServiceWebSocketHandler): void;
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
