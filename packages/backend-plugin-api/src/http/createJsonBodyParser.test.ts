import { gzipSync } from 'node:zlib';
import { mockServices } from '@plinth/backend-test-utils';
import { InputError, isError, type JsonObject } from '@plinth/errors';
import express from 'express';
import supertest from 'supertest';
import { createJsonBodyParser } from './createJsonBodyParser';

describe('createJsonBodyParser', () => {
  it('parses a JSON body once, so a plugin calling express.json() again gets the parsed body', async () => {
    const app = appWith(router => {
      router.use(express.json({ limit: '10mb' }));
      router.post('/echo', (req, res) => {
        res.json({ body: req.body as unknown });
      });
    });
    await supertest(app)
      .post('/echo')
      .send({ hello: 'world' })
      .expect(200, { body: { hello: 'world' } });
  });

  it('leaves the body of a request without one undefined and parses a chunked or gzip body', async () => {
    const app = appWith(router =>
      router.use((req, res) => {
        res.json({ bodyIsUndefined: req.body === undefined, body: req.body });
      }),
    );
    await supertest(app).get('/').expect(200, { bodyIsUndefined: true });
    await expect(postGzip(app, gzipSync('{"hello":"world"}'))).resolves.toEqual(
      {
        status: 200,
        body: { bodyIsUndefined: false, body: { hello: 'world' } },
      },
    );
  });

  it('refuses a body above jsonBodyLimit, counted after gzip is undone', async () => {
    const app = appWith(router => router.use(echo), { jsonBodyLimit: 1024 });
    const message =
      "Request body rejected: it is larger than the limit of 1024 bytes set by 'backend.http.jsonBodyLimit'. Send a smaller body, or raise the limit.";
    await supertest(app)
      .post('/')
      .send({ text: 'x'.repeat(2000) })
      .expect(413, { status: 413, name: 'RequestBodyTooLargeError', message });
    const zipped = gzipSync(JSON.stringify({ text: 'x'.repeat(100_000) }));
    expect(zipped.length).toBeLessThan(1024);
    await expect(postGzip(app, zipped)).resolves.toEqual({
      status: 413,
      body: { status: 413, name: 'RequestBodyTooLargeError', message },
    });
  });

  it('refuses a body that is not valid JSON', async () => {
    await supertest(appWith(router => router.use(echo)))
      .post('/')
      .set('Content-Type', 'application/json')
      .send('{"a":')
      .expect(400, {
        status: 400,
        name: 'InputError',
        message:
          'Request body rejected: it is not valid JSON (Unexpected end of JSON input). Send a valid JSON document, or set another Content-Type.',
      });
  });

  it('refuses a body nested deeper than jsonBodyMaxDepth, however deep', async () => {
    const app = appWith(router => router.use(echo), { jsonBodyMaxDepth: 3 });
    await supertest(app)
      .post('/')
      .send({ a: { b: [1] } })
      .expect(200);
    await supertest(app)
      .post('/')
      .send({ a: { b: [{}] } })
      .expect(400, {
        status: 400,
        name: 'InputError',
        message:
          "Request body rejected: its objects and arrays nest more than 3 levels deep, at 'a.b[0]', more than 'backend.http.jsonBodyMaxDepth' allows. Send a flatter document.",
      });
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const response = await supertest(
      appWith(router => router.use(echo), { jsonBodyMaxDepth: 64 }),
    )
      .post('/')
      .set('Content-Type', 'application/json')
      .send(deep)
      .expect(400);
    expect((response.body as { message: string }).message).toBe(
      `Request body rejected: its objects and arrays nest more than 64 levels deep, at '${'[0]'.repeat(64).slice(0, 100)}...', more than 'backend.http.jsonBodyMaxDepth' allows. Send a flatter document.`,
    );
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    "refuses the prototype key '%s' anywhere in a body",
    async key => {
      const body = `{"items":[{"ok":1},{"${key}":{"polluted":true}}]}`;
      await supertest(appWith(router => router.use(echo)))
        .post('/')
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400, {
          status: 400,
          name: 'InputError',
          message: `Request body rejected: it has the key '${key}' at 'items[1].${key}', which names an object's prototype and is refused in every request body. Rename the key.`,
        });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('refuses NUL characters in body strings and keys', async () => {
    const app = appWith(router => router.use(echo));
    await supertest(app)
      .post('/')
      .send({ entity: { name: 'a\u0000b' } })
      .expect(400, {
        status: 400,
        name: 'InputError',
        message:
          "Request body rejected: the string at 'entity.name' contains a NUL character (\\u0000), which no plugin can store. Remove it.",
      });
    await supertest(app)
      .post('/')
      .set('Content-Type', 'application/json')
      .send('{"a":{"b\\u0000":1}}')
      .expect(400, {
        status: 400,
        name: 'InputError',
        message:
          "Request body rejected: a key at 'a' contains a NUL character (\\u0000), which no plugin can store. Remove it.",
      });
  });

  it('says what to change about a body in an encoding or charset it cannot read', async () => {
    const app = appWith(router => router.use(echo));
    await supertest(app)
      .post('/')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'x-unknown')
      .send('{}')
      .expect(415, {
        status: 415,
        name: 'UnsupportedMediaTypeError',
        message:
          "Request body rejected: its Content-Encoding 'x-unknown' is not supported. Send it uncompressed, or as gzip, deflate or br.",
      });
    await supertest(app)
      .post('/')
      .set('Content-Type', 'application/json; charset=klingon')
      .send('{}')
      .expect(415, {
        status: 415,
        name: 'UnsupportedMediaTypeError',
        message:
          "Request body rejected: its charset 'klingon' is not supported. Send it as UTF-8.",
      });
    await supertest(app)
      .post('/')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"not":"gzip"}')
      .expect(400, {
        status: 400,
        name: 'InputError',
        message:
          'Request body rejected: it could not be decompressed as its Content-Encoding says. Send the encoding it has.',
      });
  });

  it('leaves bodies of other content types to the plugin', async () => {
    const app = appWith(router => {
      router.use(express.text());
      router.use((req, res) => {
        res.json({ body: req.body as unknown });
      });
    });
    await supertest(app)
      .post('/')
      .set('Content-Type', 'text/plain')
      .send('{"__proto__":1}')
      .expect(200, { body: '{"__proto__":1}' });
  });

  it('reads its limits from backend.http, as sizes or numbers of bytes', async () => {
    const app = appWith(router => router.use(echo), { jsonBodyLimit: '1kb' });
    await supertest(app)
      .post('/')
      .send({ text: 'x'.repeat(1000) })
      .expect(200);
    await supertest(app)
      .post('/')
      .send({ text: 'x'.repeat(1030) })
      .expect(413);
  });

  it('refuses invalid limits in config when it is created', () => {
    const create = (http: JsonObject) => () =>
      createJsonBodyParser({
        config: mockServices.rootConfig({ data: { backend: { http } } }),
      });
    expect(create({ jsonBodyLimit: 'lots' })).toThrow(
      new InputError(
        "createJsonBodyParser() got the string 'lots' at 'backend.http.jsonBodyLimit'; use a whole number of bytes or a size such as '1mb' (units b, kb, mb, gb).",
      ),
    );
    expect(create({ jsonBodyMaxDepth: 0 })).toThrow(
      new InputError(
        "createJsonBodyParser() got number 0 at 'backend.http.jsonBodyMaxDepth'; use an integer of at least 1.",
      ),
    );
  });

  it('parses bodies of +json media types and makes an empty body an empty object', async () => {
    const app = appWith(router => router.use(echo));
    await supertest(app)
      .post('/')
      .set('Content-Type', 'application/vnd.api+json; charset=utf-8')
      .send('{"a":1}')
      .expect(200, { body: { a: 1 } });
    await supertest(app)
      .post('/')
      .set('Content-Type', 'application/json')
      .send('')
      .expect(200, { body: {} });
  });

  it('refuses a body that is a JSON value but not an object or array', async () => {
    await supertest(appWith(router => router.use(echo)))
      .post('/')
      .set('Content-Type', 'application/json')
      .send('"just a string"')
      .expect(400, {
        status: 400,
        name: 'InputError',
        message:
          "Request body rejected: it is not valid JSON (it starts with '\"', not with '{' or '['). Send a valid JSON document, or set another Content-Type.",
      });
  });

  it('leaves a body another parser read to that parser', async () => {
    const app = express();
    app.use(express.text({ type: 'application/json' }));
    app.use(createJsonBodyParser());
    app.use(echo);
    await supertest(app)
      .post('/')
      .set('Content-Type', 'application/json')
      .send('{"a":1}')
      .expect(200, { body: '{"a":1}' });
  });
});

/** Posts a gzip JSON body, which supertest would serialize again. */
async function postGzip(app: express.Express, body: Buffer) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      },
      body,
    });
    return {
      status: response.status,
      body: await response.json(),
    };
  } finally {
    server.close();
  }
}

const echo: express.Handler = (req, res) => {
  res.json({ body: req.body as unknown });
};

/**
 * An app with the parser in front of the routes, answering errors as
 * `{ status, name, message }` by their `status` or typed name, as
 * Backstage's error handler does.
 */
function appWith(
  addRoutes: (router: express.Router) => void,
  limits: { jsonBodyLimit?: number | string; jsonBodyMaxDepth?: number } = {},
) {
  const app = express();
  app.use(
    createJsonBodyParser({
      config: mockServices.rootConfig({ data: { backend: { http: limits } } }),
    }),
  );
  const router = express.Router();
  addRoutes(router);
  app.use(router);
  app.use(((error: unknown, _req, res, _next) => {
    const { status, name, message } = isError(error)
      ? (error as Error & { status?: number })
      : { status: undefined, name: 'Error', message: String(error) };
    const code = status ?? (name === 'InputError' ? 400 : 500);
    res.status(code).json({ status: code, name, message });
  }) as express.ErrorRequestHandler);
  return app;
}
