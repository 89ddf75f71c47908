import { createSecretKey } from 'node:crypto';
import {
  coreServices,
  createBackendPlugin,
  type AuthService,
  type BackstageCredentials,
  type UserInfoService,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { InputError } from '@plinth/errors';
import { authServiceFactory } from '../auth/authServiceFactory';
import { createAuthRootContext } from '../auth/createAuthRootContext';
import { DefaultAuthService } from '../auth/DefaultAuthService';
import { signJws } from '../auth/signJws.fixture';
import {
  DefaultUserInfoService,
  userInfoServiceFactory,
} from './userInfoServiceFactory';

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

describe('DefaultUserInfoService', () => {
  it('reads the user and their ownership from the verified token', async () => {
    const auth = await createAuth();
    const credentials = await auth.authenticate(
      userToken(['user:default/jane', 'group:default/team-a']),
    );
    await expect(
      DefaultUserInfoService.create().getUserInfo(credentials),
    ).resolves.toEqual({
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['user:default/jane', 'group:default/team-a'],
    });
  });

  it('counts the user as their only owner when the token lists no ownership', async () => {
    const auth = await createAuth();
    const credentials = await auth.authenticate(userToken());
    await expect(
      DefaultUserInfoService.create().getUserInfo(credentials),
    ).resolves.toEqual({
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['user:default/jane'],
    });
  });

  it('answers for a user on whose behalf another plugin calls', async () => {
    const todo = await createAuth('todo');
    const user = await todo.authenticate(userToken(['group:default/team-a']));
    const { token } = await todo.getPluginRequestToken({
      onBehalfOf: user,
      targetPluginId: 'catalog',
    });
    const forwarded = await (await createAuth('catalog')).authenticate(token);
    await expect(
      DefaultUserInfoService.create().getUserInfo(forwarded),
    ).resolves.toEqual({
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['group:default/team-a'],
    });
  });

  it('rejects credentials of a service', async () => {
    const auth = await createAuth();
    await expect(
      DefaultUserInfoService.create().getUserInfo(
        await auth.getOwnServiceCredentials(),
      ),
    ).rejects.toThrow(
      new InputError(
        "Cannot get user info for a 'service' principal ('plugin:catalog'); pass the credentials of a request made by a signed-in user, such as httpAuth.credentials(req, { allow: ['user'] }).",
      ),
    );
  });

  it('rejects none credentials', async () => {
    const auth = await createAuth();
    await expect(
      DefaultUserInfoService.create().getUserInfo(
        await auth.getNoneCredentials(),
      ),
    ).rejects.toThrow(
      new InputError(
        "Cannot get user info for a 'none' principal; pass the credentials of a request made by a signed-in user, such as httpAuth.credentials(req, { allow: ['user'] }).",
      ),
    );
  });

  it('rejects user credentials that the auth service did not create', async () => {
    const handMade: BackstageCredentials = {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/admin' },
    };
    await expect(
      DefaultUserInfoService.create().getUserInfo(handMade),
    ).rejects.toThrow(
      new InputError(
        "Cannot get user info for 'user:default/admin': the credentials were not created by this backend's auth service, so their ownership is unknown; pass the credentials from httpAuth.credentials() or auth.authenticate().",
      ),
    );
  });
});

async function createAuth(pluginId = 'catalog') {
  const context = await createAuthRootContext({
    config: mockServices.rootConfig({
      data: { backend: { auth: { keys: [{ secret }] } } },
    }),
    logger: mockServices.rootLogger(),
    nodeEnv: 'test',
  });
  return DefaultAuthService.create({ pluginId, context });
}

function userToken(ent?: string[]): string {
  const now = Math.floor(Date.now() / 1000);
  return signJws(
    {
      typ: 'vnd.backstage.user',
      sub: 'user:default/jane',
      ent,
      iat: now,
      exp: now + 60,
    },
    { alg: 'HS256', secret: createSecretKey(Buffer.from(secret)) },
  );
}
