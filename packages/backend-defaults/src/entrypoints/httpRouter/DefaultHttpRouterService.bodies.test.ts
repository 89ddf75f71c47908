import { createHmac } from 'node:crypto';
import {
  coreServices,
  createBackendPlugin,
  createJsonBodyParser,
  type RootConfigService,
} from '@plinth/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import express from 'express';
import express4 from 'express4';
import supertest from 'supertest';

// Platform routers parse no body, on Plinth as on Backstage; each plugin
// parses its own. These tests prove both directions: plugins written for
// Backstage (express 4's body-parser) get their bodies on Plinth, and a
// Plinth plugin's router gets its body, within Plinth's limits, where no
// platform parses anything (Backstage's httpRouter, simulated by a bare
// express 4 app).

const user = mockCredentials.user.header('user:default/jane');
const webhookSecret = 'webhook-secret';

describe('DefaultHttpRouterService', () => {
  it("hands a plugin using express 4's json, raw and text parsers its bodies", async () => {
    const request = await startPlugin(express4Router);
    await request
      .post('/api/legacy/json')
      .set('Authorization', user)
      .send({ hello: ['world'] })
      .expect(200, { body: { hello: ['world'] } });
    await request
      .post('/api/legacy/text')
      .set('Authorization', user)
      .set('Content-Type', 'text/plain')
      .send('plain words')
      .expect(200, { body: 'plain words' });
    const payload = '{ "action" : "opened" }';
    await request
      .post('/api/legacy/webhook')
      .set('Authorization', user)
      .set('Content-Type', 'application/json')
      .set('X-Signature', sign(payload))
      .send(payload)
      .expect(200, { verified: true, action: 'opened' });
  });

  it("hands a plugin using express 5's json parser its body", async () => {
    const router = express.Router();
    router.use(express.json());
    router.post('/json', (req, res) => {
      res.json({ body: req.body as unknown });
    });
    const request = await startPlugin(() => router);
    await request
      .post('/api/legacy/json')
      .set('Authorization', user)
      .send({ a: 1 })
      .expect(200, { body: { a: 1 } });
  });

  it("reads no body of a request without credentials, whatever the plugin's parser", async () => {
    const request = await startPlugin(express4Router);
    const response = await request
      .post('/api/legacy/json')
      .set('Content-Type', 'application/json')
      .send('{"not json')
      .expect(401);
    expect(response.body).toMatchObject({
      error: { name: 'AuthenticationError' },
    });
  });

  it("applies backend.http limits through the plugin's createJsonBodyParser", async () => {
    const request = await startPlugin(plinthRouter, { jsonBodyLimit: '1kb' });
    await request
      .post('/api/legacy/todos')
      .set('Authorization', user)
      .send({ title: 'x'.repeat(100) })
      .expect(201, { created: { title: 'x'.repeat(100) } });
    const response = await request
      .post('/api/legacy/todos')
      .set('Authorization', user)
      .send({ title: 'x'.repeat(2000) })
      .expect(413);
    expect(response.body).toMatchObject({
      error: {
        name: 'RequestBodyTooLargeError',
        message:
          "Request body rejected: it is larger than the limit of 1024 bytes set by 'backend.http.jsonBodyLimit'. Send a smaller body, or raise the limit.",
      },
    });
  });
});

describe('createJsonBodyParser', () => {
  it('parses the body of a Plinth plugin mounted where no platform parses bodies', async () => {
    // As Backstage's httpRouter: express 4, no body parser, and an error
    // handler that answers with the error's `statusCode`, else 500.
    const app = express4();
    const config = mockServices.rootConfig({
      data: { backend: { http: { jsonBodyMaxDepth: 3 } } },
    });
    app.use('/api/legacy', plinthRouter(config) as never);
    app.use(((error, _req, res, _next) => {
      const { statusCode, name, message } = error as Error & {
        statusCode?: number;
      };
      res.status(statusCode ?? (name === 'InputError' ? 400 : 500));
      res.json({ error: { name, message } });
    }) as express4.ErrorRequestHandler);
    const request = supertest(app);
    await request
      .post('/api/legacy/todos')
      .send({ title: 'write tests', tags: ['a'] })
      .expect(201, { created: { title: 'write tests', tags: ['a'] } });
    await request
      .post('/api/legacy/todos')
      .send({ title: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413, {
        error: {
          name: 'RequestBodyTooLargeError',
          message:
            "Request body rejected: it is larger than the limit of 1048576 bytes set by 'backend.http.jsonBodyLimit'. Send a smaller body, or raise the limit.",
        },
      });
    await request
      .post('/api/legacy/todos')
      .send({ a: { b: [{}] } })
      .expect(400, {
        error: {
          name: 'InputError',
          message:
            "Request body rejected: its objects and arrays nest more than 3 levels deep, at 'a.b[0]', more than 'backend.http.jsonBodyMaxDepth' allows. Send a flatter document.",
        },
      });
  });
});

/** Signs a webhook payload as a code host would. */
function sign(payload: string): string {
  return createHmac('sha256', webhookSecret).update(payload).digest('hex');
}

/**
 * A router as a Backstage plugin writes it, with express 4's parsers:
 * `express.json()` for `/json`, `express.text()` for `/text`, and
 * `express.raw()` for a webhook whose signature covers the exact bytes.
 */
function express4Router() {
  const router = express4.Router();
  router.post('/json', express4.json(), (req, res) => {
    res.json({ body: req.body as unknown });
  });
  router.post('/text', express4.text(), (req, res) => {
    res.json({ body: req.body as unknown });
  });
  router.post(
    '/webhook',
    express4.raw({ type: 'application/json' }),
    (req, res) => {
      const raw = req.body as Buffer;
      const verified =
        sign(raw.toString('utf8')) === req.header('X-Signature') &&
        Buffer.isBuffer(raw);
      res.json({
        verified,
        action: (JSON.parse(raw.toString('utf8')) as { action: string }).action,
      });
    },
  );
  return router;
}

/** A router as a Plinth plugin writes it, parsing JSON with Plinth's limits. */
function plinthRouter(config: RootConfigService) {
  const router = express.Router();
  router.use(createJsonBodyParser({ config }));
  router.post('/todos', (req, res) => {
    res.status(201).json({ created: req.body as unknown });
  });
  return router;
}

/**
 * Starts plugin 'legacy' on a test backend whose config has `backend.http`,
 * serving the router `createRouter` makes from that config.
 */
async function startPlugin(
  createRouter: (config: RootConfigService) => express.Router | express4.Router,
  http: Record<string, string | number> = {},
) {
  const plugin = createBackendPlugin({
    pluginId: 'legacy',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          config: coreServices.rootConfig,
        },
        async init({ httpRouter, config }) {
          // An express 4 router is a handler of express 5's shape too.
          httpRouter.use(createRouter(config) as express.Router);
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      plugin,
      mockServices.rootConfig.factory({ data: { backend: { http } } }),
      // Requests without a token have no credentials, as in production.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  return supertest(server);
}
