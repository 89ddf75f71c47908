import express from 'express';
import request from 'supertest';
import { mockCredentials } from './mockCredentials';
import { MockAuthService } from './MockAuthService';
import { MockHttpAuthService } from './MockHttpAuthService';

function appWith(
  httpAuth: MockHttpAuthService,
  allow?: Array<'user' | 'service' | 'none'>,
) {
  const app = express();
  app.get('/', async (req, res) => {
    try {
      res.json(await httpAuth.credentials(req, { allow }));
    } catch (error) {
      res.status(400).json({ message: (error as Error).message });
    }
  });
  return app;
}

describe('MockHttpAuthService', () => {
  const auth = new MockAuthService({ pluginId: 'todo' });

  it('reads credentials from the Authorization header', async () => {
    const app = appWith(new MockHttpAuthService({ auth }));
    const response = await request(app)
      .get('/')
      .set('Authorization', mockCredentials.user.header('user:default/jane'));
    expect(response.body).toEqual(mockCredentials.user('user:default/jane'));
  });

  it('treats a request without a token as the default credentials', async () => {
    const app = appWith(new MockHttpAuthService({ auth }));
    expect((await request(app).get('/')).body).toEqual(mockCredentials.user());
  });

  it('rejects unauthenticated requests when the default is none', async () => {
    const app = appWith(
      new MockHttpAuthService({
        auth,
        defaultCredentials: mockCredentials.none(),
      }),
      ['user', 'service'],
    );
    expect((await request(app).get('/')).body.message).toBe(
      "Missing credentials; send 'Authorization: Bearer <token>'.",
    );
  });

  it('rejects principal types that are not allowed', async () => {
    const app = appWith(new MockHttpAuthService({ auth }), ['service']);
    expect((await request(app).get('/')).body.message).toBe(
      "This endpoint does not accept user credentials; it accepts 'service'.",
    );
  });

  it('rejects a malformed Authorization header', async () => {
    const app = appWith(new MockHttpAuthService({ auth }));
    const response = await request(app)
      .get('/')
      .set('Authorization', 'Basic x');
    expect(response.body.message).toBe(
      "Malformed Authorization header; use 'Bearer <token>'.",
    );
  });
});
