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
import express from 'express';
import supertest from 'supertest';
import { RequestBodyTooLargeError } from '../httpRouter/RequestBodyTooLargeError';
import { UrlFetchError } from '../urlReader/UrlFetchError';
import { toHttpStatus } from './toHttpStatus';

describe('toHttpStatus', () => {
  it.each([
    [new InputError('x'), 400],
    [new AuthenticationError('x'), 401],
    [new NotAllowedError('x'), 403],
    [new NotFoundError('x'), 404],
    [new ConflictError('x'), 409],
    [new NotModifiedError('x'), 304],
    [new ServiceUnavailableError('x'), 503],
    [new RequestBodyTooLargeError(1024), 413],
    [UrlFetchError.status('https://example.com/x', 500, undefined), 502],
    [new Error('x'), 500],
    [new TypeError('x'), 500],
  ])('maps %p to %p', (error, status) => {
    expect(toHttpStatus(error)).toBe(status);
  });

  it('maps a subclass of a typed error that has a name of its own by its base class', () => {
    // As the catalog model's EntityValidationError: an InputError by class.
    const error = Object.assign(new InputError('Invalid entity'), {
      name: 'EntityValidationError',
    });
    expect(error.name).toBe('EntityValidationError');
    expect(toHttpStatus(error)).toBe(400);
  });

  it('maps a ForwardedError by the type of its cause', () => {
    expect(
      toHttpStatus(new ForwardedError('context', new ConflictError('x'))),
    ).toBe(409);
  });

  it('maps an error by the first typed error in its chain of causes', () => {
    const validation = Object.assign(new InputError('Invalid entity'), {
      name: 'EntityValidationError',
    });
    expect(
      toHttpStatus(
        new Error('outer', {
          cause: new ForwardedError('middle', validation),
        }),
      ),
    ).toBe(400);
    const cyclic = new Error('a');
    (cyclic as { cause?: unknown }).cause = cyclic;
    expect(toHttpStatus(cyclic)).toBe(500);
  });

  it("maps express's failure to decode a path to 400, and other unexposed statuses to 500", () => {
    const decode = Object.assign(new URIError("Failed to decode param '%'"), {
      status: 400,
    });
    expect(toHttpStatus(decode)).toBe(400);
    expect(toHttpStatus(Object.assign(new Error('x'), { status: 404 }))).toBe(
      500,
    );
  });

  it("maps body-parser's errors of plugins' own parsers", async () => {
    const statuses: number[] = [];
    const app = express();
    app.use(express.text({ limit: 5 }));
    app.use(express.json());
    app.post('/', (_req, res) => {
      res.end();
    });
    app.use(((error, _req, res, _next) => {
      statuses.push(toHttpStatus(error as Error));
      res.status(418).end();
    }) as express.ErrorRequestHandler);
    const request = supertest(app);
    await request.post('/').set('Content-Type', 'text/plain').send('123456');
    await request.post('/').set('Content-Type', 'application/json').send('{');
    await request
      .post('/')
      .set('Content-Type', 'text/plain; charset=klingon')
      .send('1');
    expect(statuses).toEqual([413, 400, 415]);
  });
});
