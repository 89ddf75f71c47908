import type {
  ErrorRequestHandler,
  NextFunction,
  Request,
  RequestHandler,
  Response,
} from 'express';
import { chainMiddleware, type Middleware } from './chainMiddleware';

/** Types a handler for an array of both kinds. */
const onRequest = (handler: RequestHandler): Middleware => handler;
const onError = (handler: ErrorRequestHandler): Middleware => handler;

const req = {} as Request;
const res = {} as Response;

/** Runs the chain once; resolves with what it passed on when it ended. */
function run(handlers: Middleware[]): Promise<{ error: unknown }> {
  return new Promise(resolve => {
    chainMiddleware(handlers)(req, res, (error?: unknown) =>
      resolve({ error }),
    );
  });
}

describe('chainMiddleware', () => {
  it('runs the handlers in order and passes on after the last', async () => {
    const seen: string[] = [];
    const step =
      (name: string) => (_req: Request, _res: Response, next: NextFunction) => {
        seen.push(name);
        next();
      };
    await expect(run([step('a'), step('b'), step('c')])).resolves.toEqual({
      error: undefined,
    });
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('skips to the next error handler on next(error), which may recover', async () => {
    const seen: string[] = [];
    const failure = new Error('boom');
    const result = await run([
      onRequest((_req, _res, next) => next(failure)),
      onRequest(() => void seen.push('skipped request handler')),
      onError((error, _req, _res, next) => {
        seen.push(`handled ${(error as Error).message}`);
        next();
      }),
      onError((_error, _req, _res, _next) => {
        seen.push('skipped error handler');
      }),
      onRequest((_req, _res, next) => {
        seen.push('after recovery');
        next();
      }),
    ]);
    expect(result).toEqual({ error: undefined });
    expect(seen).toEqual(['handled boom', 'after recovery']);
  });

  it('counts a thrown error and a rejected promise as next(error)', async () => {
    const thrown = new Error('thrown');
    await expect(
      run([
        () => {
          throw thrown;
        },
      ]),
    ).resolves.toEqual({ error: thrown });
    const rejected = new Error('rejected');
    await expect(run([async () => Promise.reject(rejected)])).resolves.toEqual({
      error: rejected,
    });
    // A promise rejected without a reason still fails the request.
    const withoutReason = onRequest(() => ({
      then: (_resolve: unknown, reject: (reason?: unknown) => void) => reject(),
    }));
    const { error } = await run([withoutReason]);
    expect(error).toEqual(new Error('Rejected promise'));
  });

  it("passes on with next('route') and leaves the chain with next('router')", async () => {
    const seen: string[] = [];
    const result = await run([
      onRequest((_req, _res, next) => next('route')),
      onRequest((_req, _res, next) => {
        seen.push('after route');
        next('router');
      }),
      onRequest(() => void seen.push('skipped')),
    ]);
    expect(result).toEqual({ error: undefined });
    expect(seen).toEqual(['after route']);
  });

  it('runs handlers added to the array after it was made', async () => {
    const handlers: Middleware[] = [onRequest((_req, _res, next) => next())];
    const chain = chainMiddleware(handlers);
    const seen: string[] = [];
    handlers.push(
      onRequest((_req, _res, next) => {
        seen.push('added later');
        next();
      }),
    );
    await new Promise<void>(resolve => chain(req, res, () => resolve()));
    expect(seen).toEqual(['added later']);
  });
});
