import {
  ServerResponse,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  LoggerService,
  RootHttpRouterServiceWebSocketHandler,
} from '@plinth/backend-plugin-api';
import {
  ConflictError,
  describeValue,
  httpStatusOf,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  toError,
} from '@plinth/errors';
import { RuntimeServiceError } from '../../errors';
import type { StartupRequestGate } from './httpServerLifecycle';

type UpgradeHandler = RootHttpRouterServiceWebSocketHandler['handler'];

/**
 * Routes the HTTP server's WebSocket upgrades to the handler registered at
 * their exact path, and closes the upgraded sockets when the server shuts
 * down.
 *
 * @remarks
 * Upgrades never reach express: the server emits them as `upgrade` events,
 * which this router listens to from the start; a request asking for
 * another protocol than WebSocket is served as an ordinary request. An
 * upgrade to a path without a handler gets a 404 when this router is the
 * server's only `upgrade` listener; when there are others (code that
 * called `server.on('upgrade')` itself), it is left to them. Upgrades to an
 * installed plugin's `/api/<pluginId>` wait for the backend to start, as
 * its HTTP requests do, since the plugin registers its handlers while
 * starting.
 */
export class WebSocketUpgradeRouter {
  readonly #server: Server;
  readonly #logger: LoggerService;
  readonly #gate: StartupRequestGate;
  readonly #handlers = new Map<string, UpgradeHandler>();
  readonly #sockets = new Set<Duplex>();
  #closed = false;
  #warnedAboutOtherListeners = false;

  static create(options: {
    server: Server;
    logger: LoggerService;
    gate: StartupRequestGate;
  }): WebSocketUpgradeRouter {
    return new WebSocketUpgradeRouter(options);
  }

  private constructor(options: {
    server: Server;
    logger: LoggerService;
    gate: StartupRequestGate;
  }) {
    this.#server = options.server;
    this.#logger = options.logger;
    this.#gate = options.gate;
    // Listening from the start lets an upgrade that arrives while the
    // backend starts wait for the plugin that registers its handler.
    options.server.on('upgrade', (request, socket, head) =>
      this.#route(request, socket, head),
    );
  }

  /**
   * Registers the handler of upgrades to `options.path`.
   *
   * @throws {@link @plinth/errors#InputError} when the path or handler is
   *   invalid; {@link @plinth/errors#ConflictError} when the path has a
   *   handler; {@link RuntimeServiceError} `HTTP_SERVER_CLOSED` once the
   *   server has shut down.
   */
  add(options: RootHttpRouterServiceWebSocketHandler): void {
    const { path, handler } = options ?? {};
    assertExactPath(path);
    if (typeof handler !== 'function') {
      throw new InputError(
        `Cannot add WebSocket handler ${describeValue(handler)} at '${path}': pass a function that takes { request, socket, head }.`,
      );
    }
    if (this.#closed) {
      throw new RuntimeServiceError(
        'HTTP_SERVER_CLOSED',
        `Cannot add a WebSocket handler at '${path}': the HTTP server has shut down. Add WebSocket handlers while the backend starts.`,
      );
    }
    if (this.#handlers.has(path)) {
      throw new ConflictError(
        `Cannot add a WebSocket handler at '${path}': another handler is registered at that path. Give each handler a path of its own.`,
      );
    }
    this.#handlers.set(path, handler);
  }

  /**
   * Refuses every later upgrade with a 503 and destroys the sockets handed
   * to handlers that are still open, upgraded or not: the server cannot
   * close while they are. Upgrades still waiting for the start are
   * answered by the start-up gate.
   *
   * @returns how many sockets were destroyed.
   */
  close(): number {
    this.#closed = true;
    const count = this.#sockets.size;
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    this.#sockets.clear();
    return count;
  }

  #route(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const hasOtherListeners = this.#server.listenerCount('upgrade') > 1;
    if (hasOtherListeners) {
      this.#warnAboutOtherListeners();
    }
    const pathname = (request.url ?? '/').split('?')[0];
    const isWebSocket = request.headers.upgrade?.toLowerCase() === 'websocket';
    if (hasOtherListeners && !(isWebSocket && this.#handlers.has(pathname))) {
      return;
    }
    // A socket error (a reset client) must not crash the process; whoever
    // owns the socket sees it closed.
    socket.on('error', () => socket.destroy());
    if (!isWebSocket) {
      serveAsRequest(this.#server, request, socket);
      return;
    }
    this.#dispatch(request, socket, head, pathname).catch(error => {
      this.#logger.warn(
        `WebSocket handler at '${pathname}' failed; its socket is closed`,
        toError(error),
      );
      socket.destroy();
    });
  }

  async #dispatch(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pathname: string,
  ): Promise<void> {
    if (!this.#closed) {
      try {
        await this.#gate.waitForUpgrade(pathname);
      } catch (error) {
        writeUpgradeRejection(socket, request, toError(error));
        return;
      }
    }
    if (this.#closed) {
      writeUpgradeRejection(
        socket,
        request,
        new ServiceUnavailableError(
          `WebSocket upgrade to '${pathname}' refused: the backend is shutting down. Connect again once it has restarted.`,
        ),
      );
      return;
    }
    const handler = this.#handlers.get(pathname);
    if (!handler) {
      writeUpgradeRejection(
        socket,
        request,
        new NotFoundError(
          `No WebSocket handler is registered at '${pathname}'.`,
        ),
      );
      return;
    }
    if (!socket.destroyed) {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      await handler({ request, socket, head });
    }
  }

  #warnAboutOtherListeners() {
    if (!this.#warnedAboutOtherListeners) {
      this.#warnedAboutOtherListeners = true;
      this.#logger.warn(
        "The HTTP server has 'upgrade' listeners besides the WebSocket router; upgrades to paths without a WebSocket handler are left to them. Register such handlers with addWebSocketHandler() instead, so that each upgrade has one owner.",
      );
    }
  }
}

/**
 * Serves a request that asks for another protocol than WebSocket (such as
 * `Upgrade: h2c`, which `curl --http2` sends) as the ordinary request it
 * also is, as Node.js does when nobody listens for upgrades; the
 * connection closes after the response, as its parser is gone.
 */
function serveAsRequest(
  server: Server,
  request: IncomingMessage,
  socket: Duplex,
): void {
  const response = new ServerResponse(request);
  response.shouldKeepAlive = false;
  response.assignSocket(socket as Socket);
  response.once('finish', () => socket.end());
  server.emit('request', request, response);
}

/**
 * Answers an upgrade with the HTTP response for `error`, in the body shape
 * of the backend's error responses, and closes the socket. The status
 * comes from the error's name; an error without one is a 500 whose
 * message says nothing about the server.
 */
export function writeUpgradeRejection(
  socket: Duplex,
  request: IncomingMessage,
  error: Error,
): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const statusCode = httpStatusOf(error) ?? 500;
  const known = statusCode !== 500;
  const body = JSON.stringify({
    error: {
      name: known ? error.name : 'Error',
      message: known ? error.message : 'Internal server error.',
    },
    // The query may carry tokens.
    request: {
      method: request.method ?? 'GET',
      url: (request.url ?? '/').split('?')[0],
    },
    response: { statusCode },
  });
  socket.end(
    [
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}`,
      'Connection: close',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}

/**
 * Checks a WebSocket path: absolute, without query or fragment, and in the
 * form the URL parser gives it, since that is what requests are matched
 * against (`/a b` arrives as `/a%20b`, `/a/../b` as `/b`).
 */
function assertExactPath(path: unknown): asserts path is string {
  if (
    typeof path !== 'string' ||
    !path.startsWith('/') ||
    /[?#\\]/.test(path) ||
    new URL(path, 'http://localhost').pathname !== path
  ) {
    throw new InputError(
      `Cannot add a WebSocket handler at ${describeValue(path)}: a WebSocket path is an absolute path without query or fragment, written as a request would send it, such as '/api/todo/events'.`,
    );
  }
}
