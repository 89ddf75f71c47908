import { createSecretKey } from 'node:crypto';
import type {
  BackstagePrincipalTypes,
  DiscoveryService,
} from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { createAuthRootContext } from '../auth/createAuthRootContext';
import { DefaultAuthService } from '../auth/DefaultAuthService';
import { signJws } from '../auth/signJws.fixture';
import { DefaultHttpAuthService } from './DefaultHttpAuthService';

const secret = 'a-shared-secret-of-32-characters';

function userToken(): string {
  const now = Math.floor(Date.now() / 1000);
  return signJws(
    {
      typ: 'vnd.backstage.user',
      sub: 'user:default/jane',
      ent: ['user:default/jane'],
      iat: now,
      exp: now + 3600,
    },
    { alg: 'HS256', secret: createSecretKey(Buffer.from(secret)) },
  );
}

/** Discovery that puts every plugin under `externalBaseUrl`. */
function stubDiscovery(externalBaseUrl: string): DiscoveryService {
  return {
    getBaseUrl: async pluginId => `http://localhost:7007/api/${pluginId}`,
    getExternalBaseUrl: async pluginId => `${externalBaseUrl}/${pluginId}`,
  };
}

async function setup(
  options: {
    externalBaseUrl?: string;
    trustProxy?: boolean;
    developmentToken?: boolean;
  } = {},
) {
  const context = await createAuthRootContext({
    config: mockServices.rootConfig({
      data: {
        backend: {
          listen: { host: '127.0.0.1' },
          auth: {
            keys: [{ secret }],
            developmentToken: options.developmentToken ?? false,
            externalAccess: [
              {
                type: 'static',
                options: { token: 'ci-token-1', subject: 'ci' },
              },
            ],
          },
        },
      },
    }),
    logger: mockServices.rootLogger(),
    nodeEnv: 'test',
  });
  const auth = DefaultAuthService.create({ pluginId: 'catalog', context });
  const httpAuth = DefaultHttpAuthService.create({
    auth,
    discovery: stubDiscovery(
      options.externalBaseUrl ?? 'http://localhost:7007/api',
    ),
    pluginId: 'catalog',
  });
  const app = express();
  if (options.trustProxy) {
    app.set('trust proxy', true);
  }
  app.get('/credentials', async (req, res) => {
    const allow =
      typeof req.query.allow === 'string'
        ? (req.query.allow.split(',') as Array<keyof BackstagePrincipalTypes>)
        : undefined;
    const allowLimitedAccess = req.query.limited === 'true';
    res.json(await httpAuth.credentials(req, { allow, allowLimitedAccess }));
  });
  app.get('/twice', async (req, res) => {
    const first = await httpAuth.credentials(req, { allow: ['service'] });
    const second = await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ same: first === second });
  });
  app.post('/cookie', async (_req, res) => {
    res.json(await httpAuth.issueUserCookie(res));
  });
  app.post('/cookie-for-self', async (_req, res) => {
    const credentials = await auth.getOwnServiceCredentials();
    res.json(await httpAuth.issueUserCookie(res, { credentials }));
  });
  const reportError: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    res.status(418).json({ name: error.name, message: error.message });
  };
  app.use(reportError);
  return { app, auth };
}

describe('DefaultHttpAuthService', () => {
  it('reads a bearer token and returns its credentials', async () => {
    const { app } = await setup();
    const response = await request(app)
      .get('/credentials?allow=user,service')
      .set('Authorization', `Bearer ${userToken()}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/jane' },
    });
  });

  it('accepts the scheme in any case', async () => {
    const { app } = await setup();
    const response = await request(app)
      .get('/credentials?allow=service')
      .set('Authorization', 'bearer ci-token-1');
    expect(response.body).toEqual({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: 'external:ci' },
    });
  });

  it('authenticates each request once however often it is asked', async () => {
    const { app, auth } = await setup();
    const authenticate = jest.spyOn(auth, 'authenticate');
    const response = await request(app)
      .get('/twice')
      .set('Authorization', 'Bearer ci-token-1');
    expect(response.body).toEqual({ same: true });
    expect(authenticate).toHaveBeenCalledTimes(1);
  });

  it('says how to send a token when the request has none', async () => {
    const { app } = await setup();
    const response = await request(app).get('/credentials?allow=user,service');
    expect(response.body).toEqual({
      name: 'AuthenticationError',
      message:
        "Missing credentials for plugin 'catalog': the request has no 'Authorization' header; send 'Authorization: Bearer <token>' with a user token, a plugin token or a static token from 'backend.auth.externalAccess'.",
    });
  });

  it('points a request without a token at the development token, when the backend issued one', async () => {
    const { app } = await setup({ developmentToken: true });
    const response = await request(app).get('/credentials?allow=user,service');
    expect(response.body.message).toBe(
      "Missing credentials for plugin 'catalog': the request has no 'Authorization' header; send 'Authorization: Bearer <token>' with a user token, a plugin token or a static token from 'backend.auth.externalAccess'. In development, send the development token of this run: the backend logged it at start-up ('Development token for subject ...'), and it issues a new one on every start, so one from an earlier run is refused.",
    );
  });

  it('tells the sender of a development token from an earlier run that it changed', async () => {
    const { app } = await setup({ developmentToken: true });
    const response = await request(app)
      .get('/credentials')
      .set('Authorization', 'Bearer an-older-development-token-0123456789');
    expect(response.body.message).toBe(
      "Unknown static token: it matches no entry of 'backend.auth.externalAccess' and is not a signed token; check the token, or add it to 'backend.auth.externalAccess' with a subject. In development, send the development token of this run: the backend logged it at start-up ('Development token for subject ...'), and it issues a new one on every start, so one from an earlier run is refused.",
    );
  });

  it('mentions the cookie when cookie access is allowed and neither is sent', async () => {
    const { app } = await setup();
    const response = await request(app).get(
      '/credentials?allow=user&limited=true',
    );
    expect(response.body).toEqual({
      name: 'AuthenticationError',
      message:
        "Missing credentials for plugin 'catalog': the request has no 'Authorization' header and no 'backstage-auth' cookie; send 'Authorization: Bearer <token>' with a user token, a plugin token or a static token from 'backend.auth.externalAccess'.",
    });
  });

  it('gives none credentials to a request without a token when none is allowed', async () => {
    const { app } = await setup();
    const none = {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'none' },
    };
    expect((await request(app).get('/credentials?allow=none')).body).toEqual(
      none,
    );
    expect((await request(app).get('/credentials')).body).toEqual(none);
  });

  it('rejects an Authorization header that is not a bearer token', async () => {
    const { app } = await setup();
    const response = await request(app)
      .get('/credentials?allow=user')
      .set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(response.body).toEqual({
      name: 'AuthenticationError',
      message:
        "Malformed 'Authorization' header: expected 'Bearer <token>' with a token of non-space characters; other schemes, such as Basic, are not supported.",
    });
  });

  it('forbids a principal type the endpoint does not allow, naming the allowed ones', async () => {
    const { app } = await setup();
    const response = await request(app)
      .get('/credentials?allow=user,none')
      .set('Authorization', 'Bearer ci-token-1');
    expect(response.body).toEqual({
      name: 'NotAllowedError',
      message:
        "This endpoint of plugin 'catalog' does not accept 'service' credentials; it accepts 'user', 'none'.",
    });
  });

  it('passes on why the auth service refused a token', async () => {
    const { app } = await setup();
    const response = await request(app)
      .get('/credentials?allow=service')
      .set('Authorization', 'Bearer not-a-known-token');
    expect(response.body).toEqual({
      name: 'AuthenticationError',
      message:
        "Unknown static token: it matches no entry of 'backend.auth.externalAccess' and is not a signed token; check the token, or add it to 'backend.auth.externalAccess' with a subject.",
    });
  });

  it('sets an HttpOnly, SameSite=Lax cookie scoped to the plugin path', async () => {
    const { app } = await setup();
    const response = await request(app)
      .post('/cookie')
      .set('Authorization', `Bearer ${userToken()}`);
    const { expiresAt } = response.body as { expiresAt: string };
    const cookie = response.headers['set-cookie'][0];
    expect(cookie).toMatch(
      new RegExp(
        `^backstage-auth=[\\w-]+\\.[\\w-]+\\.[\\w-]+; Path=/api/catalog; Expires=${new Date(expiresAt).toUTCString()}; HttpOnly; SameSite=Lax$`,
      ),
    );
  });

  it('marks the cookie Secure and uses the external path when the plugin is served over https', async () => {
    const { app } = await setup({
      externalBaseUrl: 'https://example.com/backend/api',
    });
    const response = await request(app)
      .post('/cookie')
      .set('Authorization', `Bearer ${userToken()}`);
    expect(response.headers['set-cookie'][0]).toMatch(
      /; Path=\/backend\/api\/catalog; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const { app } = await setup({ trustProxy: true });
    const response = await request(app)
      .post('/cookie')
      .set('X-Forwarded-Proto', 'https')
      .set('Authorization', `Bearer ${userToken()}`);
    expect(response.headers['set-cookie'][0]).toContain('; Secure;');
  });

  it('accepts the cookie it issued only where cookie access is allowed', async () => {
    const { app } = await setup();
    const issued = await request(app)
      .post('/cookie')
      .set('Authorization', `Bearer ${userToken()}`);
    const cookie = issued.headers['set-cookie'][0].split(';')[0];
    const withCookie = await request(app)
      .get('/credentials?allow=user&limited=true')
      .set('Cookie', `theme=dark; ${cookie}`);
    expect(withCookie.body).toMatchObject({
      principal: { type: 'user', userEntityRef: 'user:default/jane' },
    });
    const withoutAccess = await request(app)
      .get('/credentials?allow=user')
      .set('Cookie', cookie);
    expect(withoutAccess.body.name).toBe('AuthenticationError');
  });

  it('refuses to set a cookie for a request without a user token', async () => {
    const { app } = await setup();
    const response = await request(app)
      .post('/cookie')
      .set('Authorization', 'Bearer ci-token-1');
    expect(response.body).toEqual({
      name: 'NotAllowedError',
      message:
        "This endpoint of plugin 'catalog' does not accept 'service' credentials; it accepts 'user'.",
    });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refuses to set a cookie for given credentials that are not a user', async () => {
    const { app } = await setup();
    const response = await request(app).post('/cookie-for-self');
    expect(response.body).toEqual({
      name: 'NotAllowedError',
      message:
        "Cannot issue a user cookie in plugin 'catalog' for 'service' credentials; only signed-in users get one.",
    });
  });
});
