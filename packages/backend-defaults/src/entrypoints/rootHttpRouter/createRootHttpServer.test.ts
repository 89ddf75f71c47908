import { mockServices } from '@plinth/backend-test-utils';
import compression from 'compression';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import supertest from 'supertest';
import {
  computeWeakETag,
  createCompression,
  createRootHttpServer,
  createSecurityHeaders,
} from './createRootHttpServer';

/**
 * Responses whose headers decide whether `compression` adds Vary, with the
 * Vary header it sends to a client that accepts no encoding.
 */
const responses: Array<[string, RequestHandler, string | undefined]> = [
  [
    'a JSON body',
    (_req, res) => void res.json({ ok: true }),
    'Accept-Encoding',
  ],
  [
    'a body of a type that is not compressible',
    (_req, res) => void res.type('image/png').send(Buffer.from([1, 2, 3])),
    undefined,
  ],
  [
    'a body whose Cache-Control forbids transforms',
    (_req, res) =>
      void res.set('Cache-Control', 'public, no-transform').json({ ok: true }),
    undefined,
  ],
  [
    'a body with a Vary header already',
    (_req, res) => void res.vary('Origin').json({ ok: true }),
    'Origin, Accept-Encoding',
  ],
  [
    'headers passed to writeHead as an object',
    (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', Vary: 'Cookie' });
      res.end('hello');
    },
    'Cookie, Accept-Encoding',
  ],
  [
    'headers passed to writeHead as a flat list, with a status message',
    (_req, res) => {
      res.setHeader('Vary', 'Origin');
      res.writeHead(201, 'Made', ['Content-Type', 'text/html', 'Vary', 'X']);
      res.end('<p>hello</p>');
    },
    'X, Accept-Encoding',
  ],
  ['no body', (_req, res) => void res.status(204).end(), undefined],
];

describe('createCompression', () => {
  it.each(responses)(
    'sends the headers and body compression sends to a client that accepts no encoding, for %s',
    async (_name, handler, vary) => {
      const expected = await requestThrough(compression(), handler);
      const actual = await requestThrough(undefined, handler);
      expect(expected.headers.vary).toBe(vary);
      expect(actual.headers.vary).toBe(vary);
      expect(actual.status).toBe(expected.status);
      expect(actual.headers['content-type']).toBe(
        expected.headers['content-type'],
      );
      expect(actual.text).toBe(expected.text);
    },
  );

  it('compresses a large response for a client that accepts gzip', async () => {
    const app = express();
    app.use(createCompression(app.response));
    app.get('/big', (_req, res) => {
      res.json({ text: 'x'.repeat(10_000) });
    });
    const res = await supertest(app)
      .get('/big')
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect((res.body as { text: string }).text).toHaveLength(10_000);
  });

  it('sends a large response whole to a client that accepts no encoding', async () => {
    const app = express();
    app.use(createCompression(app.response));
    app.get('/big', (_req, res) => {
      res.json({ text: 'x'.repeat(10_000) });
    });
    const res = await supertest(app)
      .get('/big')
      .set('Accept-Encoding', '')
      .expect(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.text).toBe(JSON.stringify({ text: 'x'.repeat(10_000) }));
  });

  it('gives a response that is not compressed a flush() that does nothing', async () => {
    const app = express();
    app.use(createCompression(app.response));
    app.get('/stream', (_req, res) => {
      res.type('text/plain').write('one');
      res.flush();
      res.end('two');
    });
    const res = await supertest(app)
      .get('/stream')
      .set('Accept-Encoding', '')
      .expect(200);
    expect(res.text).toBe('onetwo');
  });

  it('adds no Vary header to a response sent before the request reached it', async () => {
    const app = express();
    app.use((req, res, next) => {
      if (req.path === '/early') {
        res.json({ early: true });
      } else {
        next();
      }
    });
    app.use(createCompression(app.response));
    const res = await supertest(app)
      .get('/early')
      .set('Accept-Encoding', '')
      .expect(200, { early: true });
    expect(res.headers.vary).toBeUndefined();
  });
});

/**
 * Answers one request without Accept-Encoding with `handler`, behind
 * `middleware`, or behind createCompression when it is undefined.
 */
async function requestThrough(
  middleware: RequestHandler | undefined,
  handler: RequestHandler,
) {
  const app = express();
  app.use(middleware ?? createCompression(app.response));
  app.get('/', handler);
  // supertest sends Accept-Encoding: gzip, deflate unless told otherwise.
  return supertest(app).get('/').set('Accept-Encoding', '');
}

/** The ETag function express uses by default. */
const expressETag = express().get('etag fn') as (
  body: string | Buffer,
  encoding?: BufferEncoding,
) => string;

describe('computeWeakETag', () => {
  it.each<[string, string | Buffer, BufferEncoding | undefined]>([
    ['an ASCII string', '{"kind":"Component","name":"x"}', 'utf8'],
    ['a string with characters beyond ASCII', 'Grüße, 世界 🌍', 'utf8'],
    ['a latin1 string', 'caf\u00e9', 'latin1'],
    ['a buffer', Buffer.from([0, 1, 2, 250, 255]), undefined],
    ['a large buffer', Buffer.alloc(100_000, 'a'), undefined],
    ['an empty string', '', 'utf8'],
    ['an empty buffer', Buffer.alloc(0), undefined],
  ])('gives the tag express gives to %s', (_name, body, encoding) => {
    const expected = expressETag(body, encoding);
    expect(expected).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect(computeWeakETag(body, encoding)).toBe(expected);
  });
});

describe('createSecurityHeaders', () => {
  it.each([
    ['the defaults', {}],
    [
      'a configured policy',
      {
        contentSecurityPolicy: {
          useDefaults: true,
          directives: {
            'img-src': ["'self'", 'data:'],
            'upgrade-insecure-requests': null,
          },
        },
        strictTransportSecurity: false,
      },
    ],
  ])('sets the headers helmet sets, for %s', async (_name, options) => {
    const route: RequestHandler = (_req, res) => void res.json({ ok: true });
    const withHelmet = express();
    withHelmet.use(helmet(options), route);
    const withList = express();
    // As on the root server, which never sets the header helmet removes.
    withList.disable('x-powered-by');
    withList.use(createSecurityHeaders(options), route);
    const expected = await supertest(withHelmet).get('/').expect(200);
    const actual = await supertest(withList).get('/').expect(200);
    const withoutDate = (headers: Record<string, string>) => {
      const { date: _date, ...rest } = headers;
      return rest;
    };
    expect(withoutDate(actual.headers)).toEqual(withoutDate(expected.headers));
    expect(actual.headers['content-security-policy']).toBeDefined();
  });
});

describe('createRootHttpServer', () => {
  it('answers a 500 and logs when the error handler fails itself', async () => {
    const logger = mockServices.rootLogger();
    const server = createRootHttpServer({
      helmetOptions: {},
      logger,
      health: {
        getLiveness: async () => ({ ok: true }),
        getReadiness: async () => ({ ok: true }),
      },
      startupGate: (_req, _res, next) => next(),
      routes: () => {
        throw new Error('route failed');
      },
      errorHandler: () => {
        throw new Error('error handler failed');
      },
    });
    const response = await supertest(server).get('/api/x?token=1').expect(500);
    expect(response.body).toEqual({
      error: { name: 'Error', message: 'Internal server error' },
    });
    expect(logger.messages('error')).toEqual([
      'GET /api/x failed, and so did the error handler',
    ]);
  });
});
