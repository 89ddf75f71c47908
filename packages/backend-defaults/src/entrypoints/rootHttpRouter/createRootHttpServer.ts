import { hash } from 'node:crypto';
import http from 'node:http';
import type {
  OutgoingHttpHeader,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import type {
  HealthStatus,
  LoggerService,
  RootHealthService,
} from '@plinth/backend-plugin-api';
import { NotFoundError, toError } from '@plinth/errors';
import compression from 'compression';
import cors, { type CorsOptions } from 'cors';
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { metricsPath } from '../metrics/createMetricsEndpoint';
import { chainMiddleware, type Middleware } from './chainMiddleware';

/**
 * The parts of the root app that vary; see {@link createRootHttpServer}.
 */
export interface RootHttpServerParts {
  helmetOptions: HelmetOptions;
  /** No CORS headers at all when undefined. */
  corsOptions?: CorsOptions;
  logger: LoggerService;
  health: RootHealthService;
  /**
   * Times every request; see `RequestMetrics.ts`.
   * @defaultValue none: no request is timed
   */
  requestMetrics?: RequestHandler;
  /**
   * Serves `GET /metrics`, beside the health routes and like them answered
   * during start-up.
   * @defaultValue none
   */
  metricsEndpoint?: RequestHandler;
  /** Holds plugin requests until the backend has started. */
  startupGate: RequestHandler;
  /** Where `use(path, handler)` mounts handlers. */
  routes: RequestHandler;
  errorHandler: ErrorRequestHandler;
}

/**
 * Builds the backend's HTTP server on an express app; the one place that
 * decides the order of the middleware: request timing, security headers,
 * CORS, compression, the request log, health routes, the metrics route,
 * the start-up gate, the mounted handlers, a JSON 404, and last the error
 * handler. They run as one chain (see `chainMiddleware.ts`), which every
 * request crosses. It parses no request body: each plugin's router does,
 * after its credentials barrier, so nothing of an unauthenticated request
 * is inflated or parsed. Responses get express's weak ETags, computed by
 * {@link computeWeakETag}.
 *
 * @remarks
 * The server makes its requests and responses as the app's from the
 * start, instances of classes whose prototypes are the app's `request`
 * and `response`, where express gives each its prototypes on arrival,
 * which costs every request (objects made elsewhere still get them on
 * arrival), and hands them to the chain without the
 * app's router, which would only add its bookkeeping around one layer.
 */
export function createRootHttpServer(parts: RootHttpServerParts): http.Server {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', computeWeakETag);
  const steps: Middleware[] = [];
  if (parts.requestMetrics) {
    steps.push(parts.requestMetrics);
  }
  steps.push(createSecurityHeaders(parts.helmetOptions));
  if (parts.corsOptions) {
    steps.push(cors(parts.corsOptions));
  }
  steps.push(
    createCompression(app.response),
    createRequestLogger(parts.logger),
    onlyUnder(healthPathPrefix, createHealthRouter(parts.health)),
  );
  if (parts.metricsEndpoint) {
    steps.push(onlyUnder(metricsPath, parts.metricsEndpoint));
  }
  steps.push(
    parts.startupGate,
    parts.routes,
    createNotFoundHandler(),
    parts.errorHandler,
  );
  const chain = chainMiddleware(steps);
  class AppRequest extends http.IncomingMessage {}
  class AppResponse extends http.ServerResponse {}
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  Object.setPrototypeOf(AppResponse.prototype, app.response);
  return http.createServer(
    { IncomingMessage: AppRequest, ServerResponse: AppResponse },
    (incoming, outgoing) => {
      // Made elsewhere, such as the response of an upgrade request served
      // as an ordinary one.
      if (!(incoming instanceof AppRequest)) {
        Object.setPrototypeOf(incoming, AppRequest.prototype);
      }
      if (!(outgoing instanceof AppResponse)) {
        Object.setPrototypeOf(outgoing, AppResponse.prototype);
      }
      const req = incoming as unknown as Request;
      const res = outgoing as unknown as Response;
      req.res = res;
      res.req = req;
      res.locals = Object.create(null) as Response['locals'];
      req.originalUrl = req.url;
      req.baseUrl = '';
      chain(req, res, error => endUnhandled(req, res, error, parts.logger));
    },
  );
}

/**
 * Ends a response the error handler passed on: one that had started when
 * its request failed, which is cut off so that the client sees it is
 * incomplete, or one whose error handler failed itself.
 */
function endUnhandled(
  req: Request,
  res: Response,
  error: unknown,
  logger: LoggerService,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  logger.error(
    `${req.method} ${req.originalUrl.split('?')[0]} failed, and so did the error handler`,
    toError(error),
  );
  res.statusCode = 500;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify({
      error: { name: 'Error', message: 'Internal server error' },
    }),
  );
}

/**
 * The headers helmet sets, set from a list made once. Helmet's headers
 * depend on its options alone (the config cannot give it the functions
 * that would make a directive vary by request), and setting a list costs
 * a fraction of running its fourteen middleware on every response.
 *
 * @throws Error when helmet does anything but set headers, so that a
 *   helmet release that starts to vary by request is not silently frozen.
 */
export function createSecurityHeaders(options: HelmetOptions): RequestHandler {
  const headers: Array<[string, string]> = [];
  let finished = false;
  const recorder = {
    setHeader(name: string, value: string) {
      headers.push([name, String(value)]);
    },
    // X-Powered-By, which the app never sets.
    removeHeader() {},
  };
  helmet(options)(
    {} as Request,
    recorder as unknown as Response,
    (error?: unknown) => {
      if (error) {
        throw toError(error);
      }
      finished = true;
    },
  );
  if (!finished) {
    throw new Error(
      'helmet did not finish setting its headers at once; the security headers cannot be computed ahead of requests.',
    );
  }
  return (_req, res, next) => {
    for (const [name, value] of headers) {
      res.setHeader(name, value);
    }
    next();
  };
}

/**
 * Runs `handler` only for paths at or below `prefix`, ignoring case as its
 * express router does, so that other requests do not cross its routes.
 */
function onlyUnder(prefix: string, handler: RequestHandler): RequestHandler {
  const lowerPrefix = prefix.toLowerCase();
  return (req, res, next) => {
    if (req.path.toLowerCase().startsWith(lowerPrefix)) {
      handler(req, res, next);
    } else {
      next();
    }
  };
}

/** Where the health routes live; the request log puts them at debug. */
const healthPathPrefix = '/.backstage/health/';

/**
 * The health routes for load balancers and orchestrators:
 * `GET /.backstage/health/v1/liveness` and `/readiness` answer 200
 * `{ status: 'ok' }`, or 503 `{ status: 'error', message: reason }`.
 */
function createHealthRouter(health: RootHealthService): Router {
  const router = express.Router();
  const answer =
    (check: () => Promise<HealthStatus>): express.RequestHandler =>
    async (_req, res) => {
      const { ok, reason } = await check();
      res.setHeader('Cache-Control', 'no-store');
      if (ok) {
        res.status(200).json({ status: 'ok' });
      } else {
        res
          .status(503)
          .json({ status: 'error', message: reason ?? 'not healthy' });
      }
    };
  router.get(
    `${healthPathPrefix}v1/liveness`,
    answer(() => health.getLiveness()),
  );
  router.get(
    `${healthPathPrefix}v1/readiness`,
    answer(() => health.getReadiness()),
  );
  return router;
}

/**
 * Logs one line per request once its response ends, such as
 * `GET /api/catalog/entities 200 12ms`, at info; health checks and
 * scrapes of `/metrics`, which load balancers and Prometheus send every few
 * seconds, at debug. The query string is left out
 * because it may carry tokens.
 */
function createRequestLogger(logger: LoggerService): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    // A response closes once, so `on` does without the wrapper of `once`.
    res.on('close', () => {
      const ms = Math.round(performance.now() - start);
      const url = req.originalUrl;
      const query = url.indexOf('?');
      const path = query === -1 ? url : url.slice(0, query);
      const status = res.writableFinished ? res.statusCode : 'aborted';
      const line = `${req.method} ${path} ${status} ${ms}ms`;
      const fields = { method: req.method, path, status, durationMs: ms };
      if (path.startsWith(healthPathPrefix) || path === metricsPath) {
        logger.debug(line, fields);
      } else {
        logger.info(line, fields);
      }
    });
    next();
  };
}

/**
 * Answers requests that no route handled, through the error handler so the
 * body has the usual shape.
 */
function createNotFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(
      new NotFoundError(
        `No route matches ${req.method} '${req.originalUrl.split('?')[0]}'. Check the path and method; plugin routes are served under '/api/<pluginId>'.`,
      ),
    );
  };
}

/** The tag of an empty body: its SHA-1, as for any other body. */
const emptyETag = 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';

/**
 * The weak ETag express sends by default, such as
 * `W/"1c-XW5kq3c0b4YHmyTwIZWNJyr0ZlE"`: the body's length in hexadecimal
 * and the first 27 characters of its base64 SHA-1. Express computes it
 * with a new hash object per response; the one-shot `crypto.hash` gives
 * the same tag for less, which counts on every response.
 */
export function computeWeakETag(
  body: string | Buffer,
  encoding?: BufferEncoding,
): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, encoding) : body;
  if (bytes.length === 0) {
    return emptyETag;
  }
  const digest = hash('sha1', bytes, 'base64').substring(0, 27);
  return `W/"${bytes.length.toString(16)}-${digest}"`;
}

type HeadersArgument = OutgoingHttpHeaders | OutgoingHttpHeader[];
type WriteHead = (
  this: Response,
  statusCode: number,
  statusMessage?: string | HeadersArgument,
  headers?: HeadersArgument,
) => Response;

/** The Cache-Control directive that forbids compression, as `compression` matches it. */
const noTransformPattern = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;

/**
 * Compresses responses with the `compression` middleware, which only runs
 * for requests that send `Accept-Encoding`.
 *
 * @remarks
 * Without that header the middleware never compresses; all it does is add
 * `Vary: Accept-Encoding` to the responses it would compress for another
 * client, and give the response a `flush()` that does nothing. To do so it
 * adds five methods to each response, and a response object that gains
 * properties becomes much slower for everything Node.js does with it
 * later. Such requests get the same two effects here from methods set
 * once on `response`, the app's response prototype (`app.response`).
 */
export function createCompression(response: Response): RequestHandler {
  const compress = compression();
  const uncompressed = new WeakSet<ServerResponse>();
  const writeHead = response.writeHead as WriteHead;
  response.flush = flushNothing;
  response.writeHead = function writeHeadVaryingOnEncoding(
    this: Response,
    statusCode: number,
    statusMessage?: string | HeadersArgument,
    headers?: HeadersArgument,
  ): Response {
    if (uncompressed.delete(this)) {
      addVary(
        this,
        typeof statusMessage === 'string' ? headers : statusMessage,
      );
      return writeHead.call(
        this,
        statusCode,
        typeof statusMessage === 'string' ? statusMessage : undefined,
      );
    }
    return writeHead.call(this, statusCode, statusMessage, headers);
  } as Response['writeHead'];
  return (req, res, next) => {
    if (req.headers['accept-encoding']) {
      compress(req, res, next);
      return;
    }
    uncompressed.add(res);
    next();
  };
}

function flushNothing() {}

/**
 * What `compression` does at `writeHead` for a request that accepts no
 * encoding: the headers passed to `writeHead` are set first, so they count
 * and cannot overwrite the Vary header added when the response is of a
 * compressible type and its Cache-Control allows it.
 */
function addVary(res: Response, headers: HeadersArgument | undefined) {
  if (headers) {
    setHeaders(res, headers);
  }
  const cacheControl = res.getHeader('Cache-Control');
  if (
    compression.filter(res.req, res) &&
    !noTransformPattern.test(String(cacheControl ?? ''))
  ) {
    res.vary('Accept-Encoding');
  }
}

/**
 * Sets the headers passed to `writeHead` as Node.js does when the response
 * already has headers: an object sets each field, a flat list of names and
 * values replaces the fields it names and keeps repeated names, a list of
 * pairs sets each pair.
 */
function setHeaders(res: Response, headers: HeadersArgument) {
  if (!Array.isArray(headers)) {
    for (const name of Object.keys(headers)) {
      if (name) {
        res.setHeader(name, headers[name] as OutgoingHttpHeader);
      }
    }
    return;
  }
  if (headers.length > 0 && Array.isArray(headers[0])) {
    for (const pair of headers as unknown as Array<[string, string]>) {
      if (pair[0]) {
        res.setHeader(pair[0], pair[1]);
      }
    }
    return;
  }
  const flat = headers as string[];
  for (let i = 0; i < flat.length; i += 2) {
    res.removeHeader(flat[i]);
  }
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i]) {
      res.appendHeader(flat[i], flat[i + 1]);
    }
  }
}
