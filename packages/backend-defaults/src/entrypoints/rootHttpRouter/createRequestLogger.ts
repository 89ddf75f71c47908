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
    const start = process.hrtime.bigint();
    const path = req.originalUrl.split('?')[0];
    res.once('close', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
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
