import { NotFoundError } from '@plinth/errors';
import type { RequestHandler } from 'express';

/**
 * Answers requests that no route handled, through the error handler so the
 * body has the usual shape.
 */
export function createNotFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(
      new NotFoundError(
        `No route matches ${req.method} '${req.originalUrl.split('?')[0]}'. Check the path and method; plugin routes are served under '/api/<pluginId>'.`,
      ),
    );
  };
}
