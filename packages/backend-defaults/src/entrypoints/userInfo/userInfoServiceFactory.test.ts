import { createSecretKey } from 'node:crypto';
import {
  coreServices,
  createBackendPlugin,
  type AuthService,
  type UserInfoService,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { authServiceFactory } from '../auth/authServiceFactory';
import { signJws } from '../auth/jws/signJws';
import { userInfoServiceFactory } from './userInfoServiceFactory';

const secret = 'a-shared-secret-of-32-characters';

describe('userInfoServiceFactory', () => {
  it('answers for credentials from the backend auth service', async () => {
    let deps: { auth: AuthService; userInfo: UserInfoService } | undefined;
    await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: { backend: { auth: { keys: [{ secret }] } } },
        }),
        authServiceFactory,
        userInfoServiceFactory,
        createBackendPlugin({
          pluginId: 'catalog',
          register(env) {
            env.registerInit({
              deps: {
                auth: coreServices.auth,
                userInfo: coreServices.userInfo,
              },
              async init(services) {
                deps = services;
              },
            });
          },
        }),
      ],
    });
    const now = Math.floor(Date.now() / 1000);
    const token = signJws(
      {
        typ: 'vnd.backstage.user',
        sub: 'user:default/jane',
        ent: ['group:default/team-a'],
        iat: now,
        exp: now + 60,
      },
      { alg: 'HS256', secret: createSecretKey(Buffer.from(secret)) },
    );
    const credentials = await deps!.auth.authenticate(token);
    await expect(deps!.userInfo.getUserInfo(credentials)).resolves.toEqual({
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['group:default/team-a'],
    });
  });
});
