import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type LoggerService,
  type RootConfigService,
  type RootHealthService,
  type RootHttpRouterService,
  type RootHttpRouterServiceWebSocketHandler,
  type RootInstanceMetadataService,
  type RootLifecycleService,
} from '@plinth/backend-plugin-api';
import { describeValue, InputError } from '@plinth/errors';
import type { Handler } from 'express';
import { RuntimeServiceError } from '../../errors';
import { readDurationFromConfig } from '../../config';
import type { RootMetricsService } from '../metrics/DefaultRootMetricsService';
import { createErrorHandler } from './createErrorHandler';
import { createRootHttpServer } from './createRootHttpServer';
import { MountTable } from './MountTable';
import {
  addHttpServerLifecycleHooks,
  HttpServerShutdown,
  StartupRequestGate,
} from './httpServerLifecycle';
import { readListenOptions, type ListenOptions } from './readListenOptions';
import { RequestMetrics } from './RequestMetrics';
import {
  readCorsOptions,
  readHelmetOptions,
} from './readSecurityHeaderOptions';
import { WebSocketUpgradeRouter } from './WebSocketUpgradeRouter';

/**
 * The address the HTTP server listens on.
 *
 * @public
 */
export interface RootHttpRouterListeningAddress {
  /** The address bound, such as `127.0.0.1` or `::`. */
  host: string;
  /** The port bound; the actual one when `backend.listen.port` is 0. */
  port: number;
  server: http.Server;
}

/**
 * Options for {@link DefaultRootHttpRouterService.create}.
 *
 * @public
 */
export interface DefaultRootHttpRouterServiceOptions {
  /** Read for `backend.listen`, `.cors`, `.csp`, `.http` and `.lifecycle`. */
  config: RootConfigService;
  /** Gets the request log, error and listen lines. */
  logger: LoggerService;
  /** Where the start-up, drain and close hooks are added. */
  lifecycle: RootLifecycleService;
  /** Answers the health routes. */
  health: RootHealthService;
  /** Tells which `/api/<pluginId>` requests to hold during start-up. */
  instanceMetadata: RootInstanceMetadataService;
  /**
   * Records `http.server.request.duration` in its meter and serves its
   * `GET /metrics`.
   * @defaultValue none: requests are not timed and `/metrics` is a 404
   */
  metrics?: RootMetricsService;
  /**
   * Called once the server listens, such as for a test to learn the port.
   * @defaultValue none
   */
  onListening?: (address: RootHttpRouterListeningAddress) => void;
  /**
   * Where to listen instead of `backend.listen`, such as
   * `{ host: '127.0.0.1', port: 0 }` for a test server on a free port.
   * @defaultValue `backend.listen`
   */
  listen?: { host?: string; port: number };
}

const pathPattern = /^(\/[\w.~-]+)+$/;

/**
 * The backend's HTTP server: an express 5 app with security headers, CORS,
 * compression, a request log, health routes, request metrics and
 * `GET /metrics` (when given a {@link RootMetricsService}) and one error
 * handler, on which plugins' routers are mounted.
 *
 * @remarks
 * It listens as soon as it is created, so health checks answer while the
 * backend starts; plugin requests that arrive before the start wait for it
 * (`backend.lifecycle.startupRequestWaitTimeout`). On shutdown it keeps
 * serving for `backend.lifecycle.serverShutdownDelay`, then drains for at
 * most `backend.lifecycle.serverDrainTimeout` and ends the connections
 * still open, all before the plugins' shutdown hooks run.
 *
 * @public
 */
export class DefaultRootHttpRouterService implements RootHttpRouterService {
  readonly #mounts: MountTable;
  readonly #server: http.Server;
  readonly #address: { host: string; port: number };
  readonly #webSockets: WebSocketUpgradeRouter;
  readonly #requestMetrics: RequestMetrics | undefined;

  /**
   * Reads the config, builds the app, starts listening on `backend.listen`
   * and adds the lifecycle hooks that open the start-up gate and drain and
   * close the server.
   *
   * @example
   * ```ts
   * const router = await DefaultRootHttpRouterService.create({
   *   config, logger, lifecycle, health, instanceMetadata,
   * });
   * router.use('/api/todo', todoRouter);
   * ```
   * @throws {@link @plinth/backend-defaults#InvalidConfigError} when a
   *   `backend.*` value it reads is invalid;
   *   {@link @plinth/backend-defaults#RuntimeServiceError} with an
   *   `HTTP_SERVER_*` code when the server cannot listen.
   */
  static async create(
    options: DefaultRootHttpRouterServiceOptions,
  ): Promise<DefaultRootHttpRouterService> {
    const { config, lifecycle } = options;
    const logger = options.logger.child({ service: 'rootHttpRouter' });
    const listen = options.listen ?? readListenOptions(config);
    const shutdownDelayMs =
      readDurationFromConfig(config, 'backend.lifecycle.serverShutdownDelay') ??
      0;
    const drainTimeoutMs =
      readDurationFromConfig(config, 'backend.lifecycle.serverDrainTimeout') ??
      10_000;
    const gate = StartupRequestGate.create({
      instanceMetadata: options.instanceMetadata,
      timeoutMs:
        readDurationFromConfig(
          config,
          'backend.lifecycle.startupRequestWaitTimeout',
        ) ?? 30_000,
    });
    const mounts = new MountTable();
    const requestMetrics =
      options.metrics && new RequestMetrics(options.metrics.meter);
    const server = createRootHttpServer({
      requestMetrics: requestMetrics?.middleware,
      metricsEndpoint: options.metrics?.endpoint,
      helmetOptions: readHelmetOptions(config),
      corsOptions: readCorsOptions(config),
      logger,
      health: options.health,
      startupGate: gate.middleware(),
      routes: mounts.middleware,
      errorHandler: createErrorHandler({
        config,
        logger,
        includeStack: process.env.NODE_ENV === 'development',
      }),
    });

    const shutdown = HttpServerShutdown.track(server);
    const webSockets = WebSocketUpgradeRouter.create({ server, logger, gate });
    const address = await listenHttpServer(server, listen);
    // It listens before any plugin has started, and says so, so that the
    // line is not read as the backend being ready.
    logger.info(
      `Listening on ${describeListening(address.host, address.port)}; health checks answer now, plugin requests once the backend has started`,
    );

    addHttpServerLifecycleHooks({
      lifecycle,
      logger,
      gate,
      shutdown,
      shutdownDelayMs,
      drainTimeoutMs,
      webSockets,
    });
    options.onListening?.({ ...address, server });
    return new DefaultRootHttpRouterService(
      mounts,
      server,
      address,
      webSockets,
      requestMetrics,
    );
  }

  private constructor(
    mounts: MountTable,
    server: http.Server,
    address: { host: string; port: number },
    webSockets: WebSocketUpgradeRouter,
    requestMetrics: RequestMetrics | undefined,
  ) {
    this.#mounts = mounts;
    this.#requestMetrics = requestMetrics;
    this.#server = server;
    this.#address = address;
    this.#webSockets = webSockets;
  }

  /** The address the server listens on. */
  get address(): { host: string; port: number } {
    return { ...this.#address };
  }

  /** The underlying Node.js server. */
  get server(): http.Server {
    return this.#server;
  }

  /**
   * Mounts a handler at a path prefix such as `/api/catalog`.
   *
   * @throws {@link @plinth/errors#InputError} when the path or handler is
   *   invalid; {@link @plinth/errors#ConflictError} when the path overlaps a
   *   path already mounted.
   */
  use(path: string, handler: Handler): void {
    if (typeof path !== 'string' || !pathPattern.test(path)) {
      throw new InputError(
        `Cannot mount a handler at ${describeValue(path)}: a path is '/' followed by segments of letters, digits, '.', '_', '~' or '-', without a trailing slash, such as '/api/catalog'.`,
      );
    }
    if (typeof handler !== 'function') {
      throw new InputError(
        `Cannot mount ${describeValue(handler)} at '${path}': pass an express handler or router.`,
      );
    }
    if (this.#requestMetrics) {
      this.#mounts.add(path, this.#requestMetrics.labelMount(path), handler);
    } else {
      this.#mounts.add(path, handler);
    }
  }

  /**
   * Hands WebSocket upgrades to `options.path`, matched exactly, to
   * `options.handler`; see `WebSocketUpgradeRouter.ts`. Upgrades to paths
   * without a handler get a 404, and open sockets are destroyed when the
   * drain begins on shutdown.
   *
   * @throws {@link @plinth/errors#InputError} when the path or handler is
   *   invalid; {@link @plinth/errors#ConflictError} when the path has a
   *   handler; {@link @plinth/backend-defaults#RuntimeServiceError}
   *   `HTTP_SERVER_CLOSED` once the server has shut down.
   */
  addWebSocketHandler(options: RootHttpRouterServiceWebSocketHandler): void {
    this.#webSockets.add(options);
  }
}

/**
 * Starts `server` listening and resolves with the address it listens on.
 *
 * @throws {@link RuntimeServiceError} with an `HTTP_SERVER_*` code, naming
 *   the address and the config key to change, such as when the port is in
 *   use.
 */
function listenHttpServer(
  server: http.Server,
  { host, port }: ListenOptions,
): Promise<{ host: string; port: number }> {
  const address = describeAddress(host, port);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(toListenError(error, address, host, port));
    };
    const onListening = () => {
      server.off('error', onError);
      const info = server.address() as AddressInfo;
      resolve({ host: info.address, port: info.port });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function toListenError(
  error: NodeJS.ErrnoException,
  address: string,
  host: string | undefined,
  port: number,
): RuntimeServiceError {
  const failed = `Could not start the HTTP server on '${address}'`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new RuntimeServiceError(
        'HTTP_SERVER_PORT_IN_USE',
        `${failed}: port ${port} is already in use. Stop the process that uses it, or set 'backend.listen.port' to a free port (0 picks one).`,
      );
    case 'EACCES':
      return new RuntimeServiceError(
        'HTTP_SERVER_PERMISSION_DENIED',
        `${failed}: the process may not listen on port ${port}. Set 'backend.listen.port' to a port above 1023, or grant the process the right to bind it.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new RuntimeServiceError(
        'HTTP_SERVER_UNKNOWN_HOST',
        `${failed}: '${host ?? ''}' is not an address of this machine. Set 'backend.listen.host' to one of its addresses or names, or remove it to listen on every interface.`,
      );
    default:
      return new RuntimeServiceError(
        'HTTP_SERVER_LISTEN_FAILED',
        `${failed}: ${error.message.replace(/\.$/, '')}. Check 'backend.listen.host' and 'backend.listen.port'.`,
        error,
      );
  }
}

/**
 * The bound address for the log, such as `127.0.0.1:7007`, `[::1]:7007`, or
 * `*:7007 (every interface)` rather than `:::7007`.
 */
function describeListening(host: string, port: number): string {
  return host === '::' || host === '0.0.0.0'
    ? `*:${port} (every interface)`
    : describeAddress(host, port);
}

/** Such as `127.0.0.1:7007`, `[::1]:7007`, or `*:7007` for every interface. */
function describeAddress(host: string | undefined, port: number): string {
  if (!host) {
    return `*:${port}`;
  }
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
