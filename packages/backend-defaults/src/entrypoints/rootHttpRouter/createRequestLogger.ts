import type { LoggerService } from '@plinth/backend-plugin-api';
import type { RequestHandler } from 'express';
import { healthPathPrefix } from './createHealthRouter';

/**
 * Logs one line per request once its response ends, such as
 * `GET /api/catalog/entities 200 12ms`, at info; health checks, which load
 * balancers send every few seconds, at debug. The query string is left out
 * because it may carry tokens.
 */
export function createRequestLogger(logger: LoggerService): RequestHandler {
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
      if (path.startsWith(healthPathPrefix)) {
        logger.debug(line, fields);
      } else {
        logger.info(line, fields);
      }
    });
    next();
  };
}
