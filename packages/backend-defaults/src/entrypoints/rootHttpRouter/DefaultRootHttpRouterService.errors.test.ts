import { mockServices } from '@plinth/backend-test-utils';
import {
  AuthenticationError,
  ConflictError,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
  ServiceUnavailableError,
} from '@plinth/errors';
import express, { type Request, type Response } from 'express';
import { KnexTimeoutError } from 'knex';
import { DatabaseError } from 'pg';
import supertest from 'supertest';
import { UrlFetchError } from '../../errors';
import { DatabaseAcquireTimeoutError } from '../../errors';
import { ConfigReader } from '../../config';
import { DefaultRootHttpRouterService } from './DefaultRootHttpRouterService';

describe('DefaultRootHttpRouterService', () => {
  it.each([
    [new InputError('Invalid filter.'), 400],
    [new AuthenticationError('Missing token.'), 401],
    [new NotAllowedError('Not your entity.'), 403],
    [new NotFoundError('No such entity.'), 404],
    [new ConflictError('Entity exists.'), 409],
    [new ServiceUnavailableError('Try later.'), 503],
    [new Error('Something broke.'), 500],
  ])('answers %p with status %p and the error body', async (error, status) => {
    const { request } = await startRouter(() => {
      throw error;
    });
    await request.get('/api/boom/x?y=1').expect(status, {
      error: { name: error.name, message: error.message },
      request: { method: 'GET', url: '/api/boom/x?y=1' },
      response: { statusCode: status },
    });
  });

  it('answers a NotModifiedError with an empty 304', async () => {
    const { request } = await startRouter(() => {
      throw new NotModifiedError('Unchanged.');
    });
    const res = await request.get('/api/boom').expect(304);
    expect(res.text).toBe('');
  });

  it('keeps the status of the cause of a ForwardedError and shows the cause', async () => {
    const { request } = await startRouter(() => {
      throw new ForwardedError(
        "Could not read location 'x'",
        new NotFoundError('No such file.'),
      );
    });
    await request.get('/api/boom').expect(404, {
      error: {
        name: 'NotFoundError',
        message: "Could not read location 'x'",
        cause: { name: 'NotFoundError', message: 'No such file.' },
      },
      request: { method: 'GET', url: '/api/boom' },
      response: { statusCode: 404 },
    });
  });

  it('keeps the status of a typed error deep in a chain of causes', async () => {
    const validation = Object.assign(new InputError('Invalid entity.'), {
      name: 'EntityValidationError',
    });
    const { request } = await startRouter(() => {
      throw new Error('Processing failed', {
        cause: new ForwardedError('Processor failed', validation),
      });
    });
    await request.get('/api/boom').expect(400, {
      error: {
        name: 'Error',
        message: 'Processing failed',
        cause: {
          name: 'EntityValidationError',
          message: 'Processor failed',
          cause: { name: 'EntityValidationError', message: 'Invalid entity.' },
        },
      },
      request: { method: 'GET', url: '/api/boom' },
      response: { statusCode: 400 },
    });
  });

  it('answers a path with a malformed percent-escape with a 400', async () => {
    const { router, request, logger } = await startRouter(() => {});
    const routes = express.Router();
    routes.get('/items/:id', (_req, res) => {
      res.end();
    });
    router.use('/api/items', routes);
    await request.get('/api/items/items/%E0%A4%A').expect(400, {
      error: {
        name: 'InputError',
        message:
          "Request rejected: its path holds a malformed percent-escape. Write '%' as '%25' where it stands for itself.",
      },
      request: { method: 'GET', url: '/api/items/items/%E0%A4%A' },
      response: { statusCode: 400 },
    });
    expect(logger.lines.map(line => line.level)).toEqual(['debug']);
  });

  it('shows no cause of a server error, and redacts those of client errors', async () => {
    const secret = 'a-secret-from-config-0123456789';
    const { router, request } = await startRouter(() => {}, [secret]);
    router.use('/api/causes', (req, _res) => {
      throw new Error(req.path === '/client' ? 'Refused' : 'Broke', {
        cause:
          req.path === '/client'
            ? new InputError(`Bad value ${secret}`)
            : new Error(`Internal ${secret}`),
      });
    });
    const client = await request.get('/api/causes/client').expect(400);
    expect(client.body.error).toEqual({
      name: 'Error',
      message: 'Refused',
      cause: { name: 'InputError', message: 'Bad value ***' },
    });
    const server = await request.get('/api/causes/server').expect(500);
    expect(server.body.error).toEqual({ name: 'Error', message: 'Broke' });
  });

  it('answers a thrown value that is not an error with a 500', async () => {
    const { request } = await startRouter(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'plain string';
    });
    await request.get('/api/boom').expect(500, {
      error: {
        name: 'Error',
        message: 'A non-error value was thrown: plain string',
      },
      request: { method: 'GET', url: '/api/boom' },
      response: { statusCode: 500 },
    });
  });

  it('answers errors of async handlers the same way', async () => {
    const { request } = await startRouter(async () => {
      await Promise.resolve();
      throw new InputError('Invalid cursor.');
    });
    await request.get('/api/boom').expect(400);
  });

  it('logs 5xx at error with the error and 4xx at debug', async () => {
    const failure = new Error('Something broke.');
    const { request, logger } = await startRouter(req => {
      throw req.path === '/bad' ? new InputError('Invalid filter.') : failure;
    });
    await request.get('/api/boom/bad?token=abc').expect(400);
    await request.get('/api/boom/broken?token=abc').expect(500);
    expect(logger.messages('debug')).toContain(
      'GET /api/boom/bad answered 400: Invalid filter.',
    );
    expect(logger.lines.filter(l => l.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'GET /api/boom/broken failed with 500',
        meta: failure,
      }),
    ]);
  });

  it('shows no cause of a 401, whose caller proved nothing', async () => {
    const { request } = await startRouter(() => {
      throw new AuthenticationError(
        'Invalid token: its signature does not verify.',
        new Error('the key has algorithm EdDSA, the token says HS256'),
      );
    });
    const response = await request.get('/api/boom').expect(401);
    expect(response.body.error).toEqual({
      name: 'AuthenticationError',
      message: 'Invalid token: its signature does not verify.',
    });
  });

  it('answers a read of another server that failed with a 502 logged at warn', async () => {
    const failure = UrlFetchError.status(
      'https://git.example.com/x.yaml',
      503,
      'Service Unavailable',
    );
    const { request, logger } = await startRouter(() => {
      throw new ForwardedError('Could not read the location', failure);
    });
    const response = await request.get('/api/boom/x').expect(502);
    expect(response.body.error).toEqual({
      name: 'UrlFetchError',
      message: 'Could not read the location',
      cause: { name: 'UrlFetchError', message: failure.message },
    });
    expect(logger.lines.filter(l => l.level === 'error')).toEqual([]);
    expect(logger.messages('warn')).toEqual([
      'GET /api/boom/x failed with 502',
    ]);
  });

  it('sends the stack only when NODE_ENV is development', async () => {
    const error = new Error('Something broke.');
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      const { request } = await startRouter(() => {
        throw error;
      });
      const res = await request.get('/api/boom').expect(500);
      expect(res.body).toEqual({
        error: {
          name: 'Error',
          message: 'Something broke.',
          stack: error.stack,
        },
        request: { method: 'GET', url: '/api/boom' },
        response: { statusCode: 500 },
      });
    } finally {
      process.env.NODE_ENV = previous;
    }
    const { request } = await startRouter(() => {
      throw error;
    });
    const res = await request.get('/api/boom').expect(500);
    expect(res.body).not.toHaveProperty('error.stack');
  });

  it('hides a database error behind a log id and logs it in full with that id', async () => {
    const error = Object.assign(
      new DatabaseError('relation "secret_table" does not exist', 0, 'error'),
      { code: '42P01', severity: 'ERROR', routine: 'parserOpenTable' },
    );
    const { request, logger } = await startRouter(() => {
      throw new ForwardedError('Could not list entities', error);
    });
    const res = await request.get('/api/boom').expect(500);
    const body = res.body as { error: { message: string } };
    const logId = /log id '([0-9a-f-]{36})'/.exec(body.error.message)?.[1];
    expect(res.body).toEqual({
      error: {
        name: 'DatabaseError',
        message: `Internal database error; see the server log for log id '${logId}'.`,
      },
      request: { method: 'GET', url: '/api/boom' },
      response: { statusCode: 500 },
    });
    expect(res.text).not.toContain('secret_table');
    const line = logger.lines.find(l => l.level === 'error');
    expect(line?.message).toBe(
      `Internal database error with log id '${logId}' while answering GET /api/boom`,
    );
    expect((line?.meta as Error).message).toBe('Could not list entities');
  });

  it("answers knex's pool timeout with 503 and Retry-After, behind a log id", async () => {
    const { request } = await startRouter(() => {
      throw new KnexTimeoutError(
        'Knex: Timeout acquiring a connection. The pool is probably full.',
      );
    });
    const res = await request.get('/api/boom').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toEqual({
      error: {
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(
          /^The backend could not reach its database or another server it depends on, or had no free database connection; retry in a moment\. The server log has the details under log id '[0-9a-f-]{36}'\.$/,
        ),
      },
      request: { method: 'GET', url: '/api/boom' },
      response: { statusCode: 503 },
    });
  });

  it('keeps a 502 for another server that refused the connection, not a database outage', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    const { request } = await startRouter(() => {
      throw UrlFetchError.network(
        'https://git.example.com/catalog-info.yaml',
        new TypeError('fetch failed', { cause: refused }),
      );
    });
    const res = await request.get('/api/boom').expect(502);
    expect(res.headers['retry-after']).toBeUndefined();
    expect((res.body as { error: { name: string } }).error.name).toBe(
      'UrlFetchError',
    );
  });

  it('answers a terminated database session and a refused connection with 503, hiding the address', async () => {
    const terminated = Object.assign(
      new DatabaseError(
        'terminating connection due to administrator command',
        0,
        'error',
      ),
      { code: '57P01', severity: 'FATAL', routine: 'ProcessInterrupts' },
    );
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 10.1.2.3:5432'),
      { code: 'ECONNREFUSED', syscall: 'connect' },
    );
    for (const error of [terminated, refused]) {
      const { request, logger } = await startRouter(() => {
        throw new ForwardedError('Could not list entities', error);
      });
      const res = await request.get('/api/boom').expect(503);
      expect(res.text).not.toContain('10.1.2.3');
      expect(res.text).not.toContain('administrator');
      expect(logger.lines.find(l => l.level === 'warn')?.message).toMatch(
        /^Database or dependency unavailable \(log id '[0-9a-f-]{36}'\) while answering GET \/api\/boom$/,
      );
    }
  });

  it('answers a timeout waiting for the embedded database connection with 503, behind a log id', async () => {
    const { request } = await startRouter(() => {
      throw new DatabaseAcquireTimeoutError(
        "plugin 'catalog'",
        "plugin 'scheduler'",
        60_000,
      );
    });
    const res = await request.get('/api/boom').expect(503);
    expect((res.body as { error: { message: string } }).error.message).toMatch(
      /log id '[0-9a-f-]{36}'\.$/,
    );
    expect(res.text).not.toContain('scheduler');
  });

  it('replaces config secrets in the message and url of the body with ***', async () => {
    const { request } = await startRouter(() => {
      throw new Error('Could not log in with password hunter2-secret.');
    }, ['hunter2-secret']);
    await request.get('/api/boom?token=hunter2-secret').expect(500, {
      error: { name: 'Error', message: 'Could not log in with password ***.' },
      request: { method: 'GET', url: '/api/boom?token=***' },
      response: { statusCode: 500 },
    });
  });

  it('ends the connection when a handler fails after its response started', async () => {
    const { request, logger } = await startRouter((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
      throw new Error('Stream broke.');
    });
    await expect(request.get('/api/boom')).rejects.toThrow();
    expect(logger.messages('error')).toEqual([
      'GET /api/boom failed after its response started',
    ]);
  });
});

const running: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

/**
 * Starts a router on a random port with `handler` at `/api/boom`; config
 * `secrets` are those of its only layer.
 */
async function startRouter(
  handler: (req: Request, res: Response) => unknown,
  secrets: string[] = [],
) {
  const logger = mockServices.rootLogger();
  const lifecycle = mockServices.rootLifecycle();
  const router = await DefaultRootHttpRouterService.create({
    config: ConfigReader.fromConfigs([
      {
        context: 'app-config.yaml',
        data: { backend: { listen: { host: '127.0.0.1', port: 0 } } },
        secrets,
      },
    ]),
    logger,
    lifecycle,
    health: {
      getLiveness: async () => ({ ok: true }),
      getReadiness: async () => ({ ok: true }),
    },
    instanceMetadata: {
      getId: () => 'test',
      getInstalledPlugins: async () => [],
    },
  });
  router.use('/api/boom', (req, res) => handler(req, res));
  running.push(async () => {
    await lifecycle.beforeShutdown();
    await lifecycle.shutdown();
  });
  // Only the error handler's lines, not the request log or the listen line.
  const ownLines = () =>
    logger.lines.filter(l => !/ \d+ms$|^Listening/.test(l.message));
  return {
    router,
    request: supertest(`http://127.0.0.1:${router.address.port}`),
    logger: {
      get lines() {
        return ownLines();
      },
      messages: (level: 'error' | 'warn' | 'debug') =>
        ownLines()
          .filter(l => l.level === level)
          .map(l => l.message),
    },
  };
}
