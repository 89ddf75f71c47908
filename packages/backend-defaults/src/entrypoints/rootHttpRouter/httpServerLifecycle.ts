import type { Server, ServerResponse } from 'node:http';
import type {
  LoggerService,
  RootInstanceMetadataService,
  RootLifecycleService,
} from '@plinth/backend-plugin-api';
import { ServiceUnavailableError } from '@plinth/errors';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';

// How the HTTP server follows the backend's lifecycle: the start-up gate
// holds plugin requests until the backend has started, and the shutdown
// drains and closes the server before the plugins' shutdown hooks run.

/**
 * Opens the start-up gate once the backend has started; on shutdown, keeps
 * serving for the delay, then drains, and ends whatever connections are
 * left once the drain timeout has passed. All of the shutdown happens in
 * one before-shutdown hook: the engine runs the plugins' shutdown hooks
 * only after it, so a request that never finishes must not hold it up.
 */
export function addHttpServerLifecycleHooks(options: {
  lifecycle: RootLifecycleService;
  logger: LoggerService;
  gate: StartupRequestGate;
  shutdown: HttpServerShutdown;
  shutdownDelayMs: number;
  drainTimeoutMs: number;
  /**
   * Closes the upgraded (WebSocket) sockets when the drain begins; the
   * server cannot close while they are open, and their handlers cannot
   * know the backend stops.
   */
  webSockets: { close(): number };
}) {
  const { lifecycle, logger, gate, shutdown, shutdownDelayMs, drainTimeoutMs } =
    options;
  lifecycle.addStartupHook(() => gate.open(), {
    name: 'let waiting HTTP requests through',
  });
  lifecycle.addBeforeShutdownHook(
    async () => {
      gate.close();
      if (shutdownDelayMs > 0) {
        await new Promise(resolve => setTimeout(resolve, shutdownDelayMs));
      }
      const closedSockets = options.webSockets.close();
      if (closedSockets > 0) {
        logger.info(`Closed ${closedSockets} WebSocket connections`);
      }
      logger.info(
        `Closing the HTTP server; waiting up to ${drainTimeoutMs}ms for ${shutdown.inFlight} requests in flight`,
      );
      const cut = await shutdown.close(drainTimeoutMs);
      if (cut > 0) {
        logger.warn(
          `Ended ${cut} HTTP request${cut === 1 ? '' : 's'} still in flight after waiting ${drainTimeoutMs}ms for ${cut === 1 ? 'it' : 'them'} to finish. Raise 'backend.lifecycle.serverDrainTimeout' if such requests need longer.`,
        );
      }
    },
    { name: 'drain and close the HTTP server' },
  );
}

type Outcome = 'started' | 'stopping';

/** A plugin id that can be a path segment, as `use()` accepts it. */
const pathSegmentPattern = /^[\w.~-]+$/;

/**
 * Holds requests to `/api/<pluginId>` of an installed plugin that arrive
 * before the backend has started, so that they reach the plugin once its
 * routes exist instead of getting a 404. A request waits until {@link
 * StartupRequestGate.open} or at most `timeoutMs`, then gets a 503 naming
 * the plugin. Requests to other paths, and every request once the gate is
 * open, pass straight through.
 *
 * @remarks
 * Which requests belong to a plugin is decided by express itself, with a
 * mount at `/api/<pluginId>` per installed plugin, so that every path that
 * would reach the plugin's routes (such as `/API/Catalog`, as express
 * matches without regard to case) is held too.
 */
export class StartupRequestGate {
  readonly #instanceMetadata: RootInstanceMetadataService;
  readonly #timeoutMs: number;
  readonly #waiters = new Set<(outcome: Outcome) => void>();
  #state: 'starting' | Outcome = 'starting';

  static create(options: {
    instanceMetadata: RootInstanceMetadataService;
    timeoutMs: number;
  }): StartupRequestGate {
    return new StartupRequestGate(options.instanceMetadata, options.timeoutMs);
  }

  private constructor(
    instanceMetadata: RootInstanceMetadataService,
    timeoutMs: number,
  ) {
    this.#instanceMetadata = instanceMetadata;
    this.#timeoutMs = timeoutMs;
  }

  /** The backend has started: let waiting and future requests through. */
  open(): void {
    this.#settle('started');
  }

  /**
   * The backend stops before it started: answer waiting and future plugin
   * requests with 503. Has no effect once the gate is open.
   */
  close(): void {
    this.#settle('stopping');
  }

  /**
   * The middleware that holds requests while the backend starts. Once the
   * gate is open it is synchronous, so the requests of a started backend
   * pay for neither a promise nor a router.
   */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (this.#state === 'started') {
        next();
      } else {
        this.#hold(req, res, next).catch(next);
      }
    };
  }

  async #hold(req: Request, res: Response, next: NextFunction): Promise<void> {
    const plugins = await this.#instanceMetadata.getInstalledPlugins();
    const pluginMounts = express.Router();
    for (const { pluginId } of plugins) {
      if (pathSegmentPattern.test(pluginId)) {
        pluginMounts.use(`/api/${pluginId}`, (_req, _res, holdNext) => {
          this.#waitForStart(pluginId).then(() => holdNext(), holdNext);
        });
      }
    }
    pluginMounts(req, res, next);
  }

  /**
   * Holds a WebSocket upgrade to `pathname` as {@link
   * StartupRequestGate.middleware} holds requests: an upgrade to an
   * installed plugin's `/api/<pluginId>` waits for the backend to start.
   *
   * @throws {@link @plinth/errors#ServiceUnavailableError} when the wait
   *   times out or the backend stops first.
   */
  async waitForUpgrade(pathname: string): Promise<void> {
    if (this.#state === 'started') {
      return;
    }
    const plugins = await this.#instanceMetadata.getInstalledPlugins();
    const plugin = plugins.find(
      ({ pluginId }) =>
        pathname === `/api/${pluginId}` ||
        pathname.startsWith(`/api/${pluginId}/`),
    );
    if (plugin) {
      await this.#waitForStart(plugin.pluginId);
    }
  }

  #settle(outcome: Outcome) {
    if (this.#state !== 'starting') {
      return;
    }
    this.#state = outcome;
    for (const waiter of this.#waiters) {
      waiter(outcome);
    }
    this.#waiters.clear();
  }

  #waitForStart(pluginId: string): Promise<void> {
    // The state may have changed while the installed plugins were read.
    if (this.#state === 'started') {
      return Promise.resolve();
    }
    if (this.#state === 'stopping') {
      return Promise.reject(stoppingError(pluginId));
    }
    return new Promise((resolve, reject) => {
      const waiter = (outcome: Outcome) => {
        clearTimeout(timer);
        if (outcome === 'started') {
          resolve();
        } else {
          reject(stoppingError(pluginId));
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new ServiceUnavailableError(
            `Plugin '${pluginId}' is not ready: the backend was still starting after this request waited ${this.#timeoutMs}ms. Try again later; if start-up is slow, raise 'backend.lifecycle.startupRequestWaitTimeout'.`,
          ),
        );
      }, this.#timeoutMs);
      timer.unref();
      this.#waiters.add(waiter);
    });
  }
}

function stoppingError(pluginId: string): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `Plugin '${pluginId}' is not available: the backend is shutting down before it finished starting. Try again once it has restarted.`,
  );
}

/**
 * Stops an HTTP server gracefully: {@link HttpServerShutdown.drain} stops
 * accepting connections and lets the requests in flight finish, closing
 * each connection after its last response; {@link HttpServerShutdown.close}
 * does the same but ends whatever is left once its deadline has passed.
 */
export class HttpServerShutdown {
  readonly #server: Server;
  readonly #inFlight = new Set<ServerResponse>();
  #draining = false;
  #closed?: Promise<void>;

  /** Starts tracking the requests of `server`; call before it serves any. */
  static track(server: Server): HttpServerShutdown {
    return new HttpServerShutdown(server);
  }

  private constructor(server: Server) {
    this.#server = server;
    // Runs before the app, so even a response the app sends at once can
    // still get the header.
    server.prependListener('request', (_req, res: ServerResponse) => {
      if (this.#draining) {
        res.setHeader('Connection', 'close');
      }
      this.#inFlight.add(res);
      res.once('close', () => {
        this.#inFlight.delete(res);
        if (this.#draining) {
          // A response that had sent its headers before the drain began
          // leaves a keep-alive connection behind; close it once idle.
          setImmediate(() => this.#server.closeIdleConnections());
        }
      });
    });
  }

  /** The number of requests whose responses have not ended. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Stops accepting connections, asks clients to close theirs after the
   * current response (`Connection: close`), closes idle keep-alive
   * connections, and resolves when every connection has ended.
   */
  drain(): Promise<void> {
    this.#draining = true;
    for (const res of this.#inFlight) {
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
      }
    }
    // The callback also runs, with an error, when the server never
    // listened; there is nothing left to wait for then either.
    this.#closed ??= new Promise(resolve =>
      this.#server.close(() => resolve()),
    );
    this.#server.closeIdleConnections();
    return this.#closed;
  }

  /**
   * Drains for at most `timeoutMs`, then ends every connection still open,
   * in flight or not, and resolves once the server has closed.
   *
   * @returns the number of requests whose connections were ended before
   *   their responses finished; 0 when the drain finished in time.
   */
  async close(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>(resolve => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    try {
      const drained = await Promise.race([this.drain(), timedOut]);
      if (drained === true) {
        const cut = this.#inFlight.size;
        this.#server.closeAllConnections();
        await this.#closed;
        return cut;
      }
      return 0;
    } finally {
      clearTimeout(timer);
    }
  }
}
