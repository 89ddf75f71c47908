import { createSecretKey } from 'node:crypto';
import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  JsonObject,
} from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { createAuthRootContext } from './createAuthRootContext';
import { DefaultAuthService } from './DefaultAuthService';
import { signJws } from './signJws.fixture';

// What the DefaultAuthService tests share: a backend whose clock the tests
// set to `start`, its auth services, and tokens as an identity provider
// sharing the key would issue them.

export const secret = 'a-shared-secret-of-32-characters';
export const oldSecret = 'an-older-secret-of-32-characters';
export const start = new Date('2030-01-01T00:00:00.000Z');
export const startSeconds = start.getTime() / 1000;

export async function setup(auth: JsonObject = { keys: [{ secret }] }) {
  const logger = mockServices.rootLogger();
  const context = await createAuthRootContext({
    config: mockServices.rootConfig({ data: { backend: { auth } } }),
    logger,
    nodeEnv: 'test',
  });
  const forPlugin = (pluginId: string) =>
    DefaultAuthService.create({ pluginId, context });
  return { logger, forPlugin, catalog: forPlugin('catalog') };
}

/** A user token as an identity provider sharing `key` would issue it. */
export function userToken(claims: JsonObject = {}, key = secret, typ?: string) {
  return signJws(
    {
      typ: 'vnd.backstage.user',
      sub: 'user:default/jane',
      ent: ['user:default/jane', 'group:default/team-a'],
      iat: startSeconds,
      exp: startSeconds + 3600,
      ...claims,
    },
    { alg: 'HS256', secret: createSecretKey(Buffer.from(key)) },
    { typ },
  );
}

/**
 * Expects an `AuthenticationError` with exactly `message`; token failures
 * also carry the token check's error as their cause.
 */
export async function expectAuthenticationError(
  promise: Promise<unknown>,
  message: string,
) {
  await expect(promise).rejects.toMatchObject({
    name: 'AuthenticationError',
    message,
  });
}

export function claimsOf(token: string): JsonObject {
  return JSON.parse(
    Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
  ) as JsonObject;
}

export async function userCredentials(
  auth: DefaultAuthService,
  claims?: JsonObject,
) {
  return (await auth.authenticate(
    userToken(claims),
  )) as BackstageCredentials<BackstageUserPrincipal>;
}
