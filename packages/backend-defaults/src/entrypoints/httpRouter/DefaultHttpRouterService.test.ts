import {
  createJsonBodyParser,
  type BackstageCredentials,
  type HttpAuthService,
  type HttpRouterServiceAuthPolicy,
} from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { AuthenticationError, NotAllowedError } from '@plinth/errors';
import express from 'express';
import supertest from 'supertest';
import { ConfigReader } from '../../config';
import { DefaultRootHttpRouterService } from '../rootHttpRouter/DefaultRootHttpRouterService';
import { SecretRedactor } from '../rootLogger/SecretRedactor';
import {
  DefaultHttpRouterService,
  type DefaultHttpRouterServiceOptions,
} from './DefaultHttpRouterService';

describe('DefaultHttpRouterService', () => {
  it('serves the plugin routes under /api/<pluginId> to requests with credentials', async () => {
    const { router, request } = await startPlugin();
    router.use(echoRouter());
    await request
      .get('/api/todo/items')
      .set('Authorization', 'Bearer user')
      .expect(200, { path: '/items' });
  });

  it('answers 401 with the reason httpAuth gives to requests without credentials', async () => {
    const { router, request } = await startPlugin();
    router.use(echoRouter());
    await request.get('/api/todo/items').expect(401, {
      error: {
        name: 'AuthenticationError',
        message: 'Missing credentials; send an Authorization header.',
      },
      request: { method: 'GET', url: '/api/todo/items' },
      response: { statusCode: 401 },
    });
  });

  it('answers 403 when httpAuth does not allow the principal', async () => {
    const { router, request } = await startPlugin();
    router.use(echoRouter());
    await request
      .get('/api/todo/items')
      .set('Authorization', 'Bearer forbidden')
      .expect(403);
  });

  it('asks httpAuth for user or service credentials', async () => {
    const { router, request, httpAuth } = await startPlugin();
    router.use(echoRouter());
    await request.get('/api/todo/items').set('Authorization', 'Bearer user');
    expect(httpAuth.calls).toEqual([
      { allow: ['user', 'service'], allowLimitedAccess: false },
    ]);
  });

  it('lets requests through without credentials on paths of an unauthenticated policy', async () => {
    const { router, request } = await startPlugin();
    router.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
    router.use(echoRouter());
    await request.get('/api/todo/health').expect(200, { path: '/health' });
    await request.get('/api/todo/health/').expect(200, { path: '/health/' });
    await request
      .get('/api/todo/health/db')
      .expect(200, { path: '/health/db' });
  });

  it('matches policy paths by whole segments', async () => {
    const { router, request } = await startPlugin();
    router.addAuthPolicy({ path: '/health/', allow: 'unauthenticated' });
    router.use(echoRouter());
    await request.get('/api/todo/healthz').expect(401);
    await request.get('/api/todo/other/health').expect(401);
    await request.get('/api/todo/health').expect(200);
  });

  it("opens every path with the policy path '/'", async () => {
    const { router, request } = await startPlugin();
    router.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
    router.use(echoRouter());
    await request.get('/api/todo/anything').expect(200);
  });

  it('accepts limited access on paths of a user-cookie policy', async () => {
    const { router, request, httpAuth } = await startPlugin();
    router.addAuthPolicy({ path: '/static', allow: 'user-cookie' });
    router.use(echoRouter());
    await request
      .get('/api/todo/static/app.js')
      .set('Cookie', 'session=1')
      .expect(200);
    await request.get('/api/todo/items').set('Cookie', 'session=1').expect(401);
    expect(httpAuth.calls).toEqual([
      { allow: ['user', 'service'], allowLimitedAccess: true },
      { allow: ['user', 'service'], allowLimitedAccess: false },
    ]);
  });

  it('requires no credentials when the default auth policy is disabled', async () => {
    const { router, request } = await startPlugin({
      disableDefaultAuthPolicy: true,
    });
    router.use(echoRouter());
    await request.get('/api/todo/items').expect(200);
  });

  it('runs the barrier before handlers added later too', async () => {
    const { router, request } = await startPlugin();
    router.use(echoRouter());
    router.addAuthPolicy({ path: '/open', allow: 'unauthenticated' });
    router.use((_req, res) => {
      res.json({ second: true });
    });
    await request.get('/api/todo/open').expect(200);
    await request.get('/api/todo/closed').expect(401);
  });

  it('reads no body of a request without credentials', async () => {
    const { router, request } = await startPlugin();
    router.use(createJsonBodyParser());
    router.use(echoRouter());
    await request
      .post('/api/todo/items')
      .set('Content-Type', 'application/json')
      .send('{"not json')
      .expect(401);
    await request
      .post('/api/todo/items')
      .set('Authorization', 'Bearer user')
      .set('Content-Type', 'application/json')
      .send('{"not json')
      .expect(400);
  });

  it("leaves the body unread for the plugin's own parser", async () => {
    const { router, request } = await startPlugin();
    router.use(express.raw({ type: 'application/json' }));
    router.use((req, res) => {
      res.json({ raw: (req.body as Buffer).toString('utf8') });
    });
    await request
      .post('/api/todo/items')
      .set('Authorization', 'Bearer user')
      .set('Content-Type', 'application/json')
      .send('{ "a" : [1] }')
      .expect(200, { raw: '{ "a" : [1] }' });
  });

  it('refuses a URL with an encoded NUL character in its path or query', async () => {
    const { router, request } = await startPlugin();
    router.use(echoRouter());
    const message =
      "Request rejected: its URL contains an encoded NUL character ('%00'), which no route accepts. Remove it from the path and query.";
    for (const url of ['/api/todo/by-name/a%00b', '/api/todo/items?q=a%00']) {
      const response = await request
        .get(url)
        .set('Authorization', 'Bearer user')
        .expect(400);
      expect(response.body).toMatchObject({
        error: { name: 'InputError', message },
      });
    }
  });

  // Responses that may be compressed mask through wrappers of their own,
  // the others through their prototype's methods.
  it.each([
    ['a client that accepts gzip', 'gzip'],
    ['a client that accepts no encoding', ''],
  ])(
    'masks secrets in what the routes write, keeping the length, for %s',
    async (_client, acceptEncoding) => {
      const secret = 'a-very-secret-value-0123456789';
      const redactor = new SecretRedactor();
      redactor.add([secret]);
      const { router, request } = await startPlugin({
        responseRedactor: redactor,
      });
      const routes = express.Router();
      routes.get('/json', (_req, res) => {
        res.json({ errors: [{ message: `failed with ${secret}` }] });
      });
      routes.get('/chunks', (_req, res) => {
        res.setHeader('Content-Type', 'text/plain');
        res.write(`${secret.slice(0, 20)} `);
        res.end(Buffer.from(`and ${encodeURIComponent(secret)}`));
      });
      router.use(routes);
      const get = (path: string) =>
        request
          .get(`/api/todo${path}`)
          .set('Authorization', 'Bearer user')
          .set('Accept-Encoding', acceptEncoding)
          .expect(200);
      const json = await get('/json');
      expect(json.body).toEqual({
        errors: [{ message: `failed with ${'*'.repeat(secret.length)}` }],
      });
      const text = await get('/chunks');
      expect(text.text).toBe(
        `${'*'.repeat(20)} and ${'*'.repeat(secret.length)}`,
      );
      // Another app's responses have prototypes of their own.
      const other = express();
      other.use(routes);
      const unmasked = await supertest(other).get('/json').expect(200);
      expect(unmasked.body).toEqual({
        errors: [{ message: `failed with ${secret}` }],
      });
    },
  );

  it('searches a long body sent again only once, until secrets are added', async () => {
    const secret = 'a-very-secret-value-0123456789';
    const redactor = new SecretRedactor();
    redactor.add(['another-secret-value-9876543210']);
    const search = jest.spyOn(redactor, 'redactString');
    const { router, request } = await startPlugin({
      responseRedactor: redactor,
    });
    // One string, as a route serving a cached page sends it each time.
    const body = JSON.stringify({ items: 'x'.repeat(20_000), secret });
    const routes = express.Router();
    routes.get('/page', (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(body);
    });
    router.use(routes);
    const get = () =>
      request.get('/api/todo/page').set('Authorization', 'Bearer user');
    const bodyCalls = () =>
      search.mock.calls.filter(([text]) => text === body).length;
    expect((await get().expect(200)).text).toBe(body);
    expect((await get().expect(200)).text).toBe(body);
    expect(bodyCalls()).toBe(1);
    redactor.add([secret]);
    const masked = await get().expect(200);
    expect(masked.text).toBe(body.replace(secret, '*'.repeat(secret.length)));
    expect(bodyCalls()).toBe(2);
  });

  it('drops the ETag of a masked body and leaves bodies that are not text alone', async () => {
    const secret = 'a-very-secret-value-0123456789';
    const redactor = new SecretRedactor();
    redactor.add([secret]);
    const { router, request } = await startPlugin({
      responseRedactor: redactor,
    });
    const routes = express.Router();
    routes.get('/send/:what', (req, res) => {
      res.send(req.params.what === 'secret' ? `has ${secret}` : 'plain');
    });
    routes.get('/binary', (_req, res) => {
      res.setHeader('Content-Type', 'application/octet-stream');
      res.end(Buffer.from(`\xff${secret}`, 'latin1'));
    });
    router.use(routes);
    const get = (path: string) =>
      request
        .get(`/api/todo${path}`)
        .set('Authorization', 'Bearer user')
        .buffer(true)
        .expect(200);
    const masked = await get('/send/secret');
    expect(masked.text).toBe(`has ${'*'.repeat(secret.length)}`);
    expect(masked.headers.etag).toBeUndefined();
    expect((await get('/send/plain')).headers.etag).toBeDefined();
    const binary = await get('/binary');
    expect(Buffer.from(binary.body as Buffer).toString('latin1')).toBe(
      `\xff${secret}`,
    );
  });

  it.each([
    [
      null,
      "addAuthPolicy() of plugin 'todo' got null; pass { path, allow }, such as { path: '/health', allow: 'unauthenticated' }.",
    ],
    [
      { path: 'health', allow: 'unauthenticated' },
      "addAuthPolicy() of plugin 'todo' got the path the string 'health'; a path starts with '/' and is relative to '/api/todo', without query or fragment, such as '/health'.",
    ],
    [
      { path: '/health?x=1', allow: 'unauthenticated' },
      "addAuthPolicy() of plugin 'todo' got the path the string '/health?x=1'; a path starts with '/' and is relative to '/api/todo', without query or fragment, such as '/health'.",
    ],
    [
      { allow: 'unauthenticated' },
      "addAuthPolicy() of plugin 'todo' got the path undefined; a path starts with '/' and is relative to '/api/todo', without query or fragment, such as '/health'.",
    ],
    [
      { path: '/health', allow: 'anonymous' },
      "addAuthPolicy() of plugin 'todo' got allow the string 'anonymous' for path '/health'; use 'unauthenticated' or 'user-cookie'.",
    ],
  ])('rejects the auth policy %p', async (policy, message) => {
    const { router } = await startPlugin();
    expect(() =>
      router.addAuthPolicy(policy as unknown as HttpRouterServiceAuthPolicy),
    ).toThrow(message);
  });

  it('rejects a handler that is not a function', async () => {
    const { router } = await startPlugin();
    expect(() => router.use('items' as unknown as express.Handler)).toThrow(
      "httpRouter.use() of plugin 'todo' got the string 'items'; pass an express handler or router.",
    );
  });
});

/** A router that answers every request with its path below the plugin. */
function echoRouter() {
  const router = express.Router();
  router.use((req, res) => {
    res.json({ path: req.path });
  });
  return router;
}

/**
 * An httpAuth that accepts `Bearer user`, refuses `Bearer forbidden` with
 * 403, accepts a `session` cookie with limited access, and records the
 * options of each call.
 */
function createHttpAuthStub() {
  const calls: Array<{ allow?: string[]; allowLimitedAccess?: boolean }> = [];
  const httpAuth = {
    calls,
    async credentials(
      req: express.Request,
      options?: { allow?: string[]; allowLimitedAccess?: boolean },
    ) {
      calls.push({ ...options });
      const header = req.headers.authorization;
      if (header === 'Bearer forbidden') {
        throw new NotAllowedError("This request's principal type is 'none'.");
      }
      const cookie =
        options?.allowLimitedAccess && req.headers.cookie === 'session=1';
      if (header !== 'Bearer user' && !cookie) {
        throw new AuthenticationError(
          'Missing credentials; send an Authorization header.',
        );
      }
      return {
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/jane' },
      } as BackstageCredentials;
    },
    async issueUserCookie() {
      return { expiresAt: new Date(0) };
    },
  };
  return httpAuth as typeof httpAuth & HttpAuthService;
}

const running: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

/** Starts a root router on a random port with plugin 'todo' mounted. */
async function startPlugin(
  options: Pick<
    DefaultHttpRouterServiceOptions,
    'disableDefaultAuthPolicy' | 'responseRedactor'
  > = {},
) {
  const lifecycle = mockServices.rootLifecycle();
  const rootHttpRouter = await DefaultRootHttpRouterService.create({
    config: new ConfigReader({
      backend: { listen: { host: '127.0.0.1', port: 0 } },
    }),
    logger: mockServices.rootLogger(),
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
  running.push(async () => {
    await lifecycle.beforeShutdown();
    await lifecycle.shutdown();
  });
  const httpAuth = createHttpAuthStub();
  const router = DefaultHttpRouterService.create({
    pluginId: 'todo',
    rootHttpRouter,
    httpAuth,
    auth: mockServices.auth(),
    logger: mockServices.logger(),
    ...options,
  });
  const request = supertest(`http://127.0.0.1:${rootHttpRouter.address.port}`);
  return { router, request, httpAuth };
}
