import type { Config } from '@plinth/backend-plugin-api';
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
import express from 'express';
import { KnexTimeoutError } from 'knex';
import { DatabaseError } from 'pg';
import supertest from 'supertest';
import { RequestBodyTooLargeError, UrlFetchError } from '../../errors';
import { DatabaseAcquireTimeoutError } from '../../errors';
import { ConfigReader } from '../../config';
import {
  createErrorHandler,
  findDatabaseError,
  toHttpStatus,
} from './createErrorHandler';

const pem = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  '-----END PRIVATE KEY-----',
  '',
].join('\n');

describe('createErrorHandler', () => {
  it('replaces each line of a multi-line secret, such as a PEM key, in the body', async () => {
    const request = startApp(configWithSecrets([pem]));
    const res = await request
      .get('/boom')
      .query({
        message: 'Could not parse key line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC.',
      })
      .expect(500);
    expect(res.body).toMatchObject({
      error: { message: 'Could not parse key line ***.' },
    });
    expect(res.text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });

  it('leaves secrets shorter than four characters in the body, as the logs do', async () => {
    const request = startApp(configWithSecrets(['dev']));
    const res = await request
      .get('/boom')
      .query({ message: 'Could not reach the device.' })
      .expect(500);
    expect(res.body).toMatchObject({
      error: { message: 'Could not reach the device.' },
    });
  });

  it('reads the config secrets once, and again when the config changes', async () => {
    const config = configWithSecrets(['first-secret']);
    const secretValues = jest.spyOn(config, 'secretValues');
    let onChange = () => {};
    const reloadable: Config = Object.assign(config, {
      subscribe: (listener: () => void) => {
        onChange = listener;
        return { unsubscribe: () => {} };
      },
    });
    const request = startApp(reloadable);
    const message = 'Tried first-secret and second-secret.';
    await request.get('/boom').query({ message }).expect(500);
    await request.get('/boom').query({ message }).expect(500);
    expect(secretValues).toHaveBeenCalledTimes(1);

    secretValues.mockReturnValue(['first-secret', 'second-secret']);
    onChange();
    const res = await request.get('/boom').query({ message }).expect(500);
    expect(res.body).toMatchObject({
      error: { message: 'Tried *** and ***.' },
    });
  });
});

/** A config whose only layer has these secret values. */
function configWithSecrets(secrets: string[]): ConfigReader {
  return ConfigReader.fromConfigs([
    { context: 'app-config.yaml', data: {}, secrets },
  ]);
}

/** An app whose `GET /boom?message=...` throws an error with that message. */
function startApp(config: Config) {
  const app = express();
  app.get('/boom', req => {
    throw new Error(req.query.message as string);
  });
  app.use(
    createErrorHandler({
      config,
      logger: mockServices.rootLogger(),
      includeStack: false,
    }),
  );
  return supertest(app);
}

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

/** An error as pg and PGlite raise it for a query on a missing table. */
function missingTableError(): DatabaseError {
  return Object.assign(
    new DatabaseError('relation "t" does not exist', 0, 'error'),
    { code: '42P01', severity: 'ERROR', routine: 'parserOpenTable' },
  );
}

describe('findDatabaseError', () => {
  it('finds an error with a SQLSTATE code and a severity', () => {
    const error = missingTableError();
    expect(findDatabaseError(error)).toBe(error);
  });

  it("finds knex's own errors", () => {
    const error = new KnexTimeoutError('Knex: Timeout acquiring a connection.');
    expect(findDatabaseError(error)).toBe(error);
  });

  it('finds a timeout waiting for the embedded database connection', () => {
    const error = new DatabaseAcquireTimeoutError(
      "plugin 'catalog'",
      "plugin 'scheduler'",
      60_000,
    );
    expect(findDatabaseError(new ForwardedError('outer', error))).toBe(error);
  });

  it('finds a database error in the cause chain', () => {
    const error = missingTableError();
    expect(
      findDatabaseError(
        new ForwardedError('outer', new ForwardedError('inner', error)),
      ),
    ).toBe(error);
  });

  it('ignores errors that only look alike', () => {
    const fsError = Object.assign(new Error('no such file'), {
      code: 'ENOENT',
    });
    const noSeverity = Object.assign(new Error('x'), { code: '42P01' });
    expect(findDatabaseError(fsError)).toBeUndefined();
    expect(findDatabaseError(noSeverity)).toBeUndefined();
    expect(findDatabaseError(new InputError('x'))).toBeUndefined();
  });

  it('stops at a cause chain that loops', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(findDatabaseError(a)).toBeUndefined();
  });
});
