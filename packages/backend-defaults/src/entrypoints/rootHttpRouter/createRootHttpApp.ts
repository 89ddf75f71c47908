import type {
  LoggerService,
  RootHealthService,
} from '@plinth/backend-plugin-api';
import cors, { type CorsOptions } from 'cors';
import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
} from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { computeWeakETag } from './computeWeakETag';
import { createCompression } from './createCompression';
import { createHealthRouter } from './createHealthRouter';
import { createNotFoundHandler } from './createNotFoundHandler';
import { createRequestLogger } from './createRequestLogger';

/**
 * The parts of the root app that vary; see {@link createRootHttpApp}.
 */
export interface RootHttpAppParts {
  helmetOptions: HelmetOptions;
  /** No CORS headers at all when undefined. */
  corsOptions?: CorsOptions;
  logger: LoggerService;
  health: RootHealthService;
  /** Holds plugin requests until the backend has started. */
  startupGate: RequestHandler;
  /** Where `use(path, handler)` mounts handlers. */
  routes: RequestHandler;
  errorHandler: ErrorRequestHandler;
}

/**
 * Builds the express app; the one place that decides the order of the
 * middleware: security headers, CORS, compression, the request log, health
 * routes, the start-up gate, the mounted handlers, a JSON 404, and last the
 * error handler. It parses no request body: each plugin's router does,
 * after its credentials barrier, so nothing of an unauthenticated request
 * is inflated or parsed. Responses get express's
 * weak ETags, computed by {@link computeWeakETag}.
 */
export function createRootHttpApp(parts: RootHttpAppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', computeWeakETag);
  app.use(helmet(parts.helmetOptions));
  if (parts.corsOptions) {
    app.use(cors(parts.corsOptions));
  }
  app.use(createCompression(app.response));
  app.use(createRequestLogger(parts.logger));
  app.use(createHealthRouter(parts.health));
  app.use(parts.startupGate);
  app.use(parts.routes);
  app.use(createNotFoundHandler());
  app.use(parts.errorHandler);
  return app;
}
