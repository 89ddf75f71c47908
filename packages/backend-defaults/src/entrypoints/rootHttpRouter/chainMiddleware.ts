import type {
  ErrorRequestHandler,
  NextFunction,
  Request,
  RequestHandler,
  Response,
} from 'express';

/** A request handler, or an error handler (four parameters) as in express. */
export type Middleware = RequestHandler | ErrorRequestHandler;

/**
 * Runs `handlers` in order as one handler, as an express router without
 * paths would: a handler passes on with `next()`, and with `next(error)`
 * skips to the next error handler; a thrown error or a rejected promise
 * counts as `next(error)`; `next('route')` passes on, `next('router')`
 * leaves the chain. The array is read on every request, so handlers
 * pushed to it later take part.
 *
 * @remarks
 * Every request crosses the root app, a plugin's mount and its barrier
 * before any plugin code runs. As express routers those cost a layer
 * match, URL parsing and prefix bookkeeping per step, a fifth of the CPU
 * of a cached catalog read; a chain costs one call per step.
 */
export function chainMiddleware(
  handlers: readonly Middleware[],
): RequestHandler {
  return (req, res, done) => {
    let index = 0;
    const next: NextFunction = (error?: unknown) => {
      if (error === 'router') {
        done();
        return;
      }
      const failure = error === 'route' ? undefined : error;
      while (index < handlers.length) {
        const handler = handlers[index++];
        if (handler.length > 3 === Boolean(failure)) {
          invoke(handler, failure, req, res, next);
          return;
        }
      }
      done(failure);
    };
    next();
  };
}

function invoke(
  handler: Middleware,
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  try {
    const result =
      handler.length > 3
        ? (handler as ErrorRequestHandler)(error, req, res, next)
        : (handler as RequestHandler)(req, res, next);
    if (isPromise(result)) {
      result.then(undefined, (rejection: unknown) => {
        next(rejection || new Error('Rejected promise'));
      });
    }
  } catch (thrown) {
    next(thrown);
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
