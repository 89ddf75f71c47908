import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult as BackstageAuthorizeResult,
  PermissionClient,
  createPermission,
} from '@backstage/plugin-permission-common';
import { mockCredentials } from '@plinth/backend-test-utils';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@plinth/plugin-permission-node';
import { permissionBackends } from './permissionBackends';
import { startPlinthBackend, type PlinthBackend } from './plinthBackend';

// Plinth's permission backend answering Backstage's own client,
// `PermissionClient` of @backstage/plugin-permission-common as published:
// it validates every response against its schemas, so a field Plinth
// names differently fails here.

const alice = 'user:default/alice';
const bob = 'user:default/bob';

const noteCreatePermission = createPermission({
  name: 'interop.note.create',
  attributes: { action: 'create' },
});
const noteReadPermission = createPermission({
  name: 'interop.note.read',
  attributes: { action: 'read' },
  resourceType: 'interop-note',
});

/** What the policy answers for reading notes: the user's own ones. */
function ownNotes(userEntityRef: string): PolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'interop-notes',
    resourceType: 'interop-note',
    conditions: {
      anyOf: [
        {
          rule: 'IS_AUTHOR',
          resourceType: 'interop-note',
          params: { userEntityRef },
        },
        { not: { rule: 'IS_PRIVATE', resourceType: 'interop-note' } },
      ],
    },
  };
}

/** Alice may create notes, Bob may not; everyone reads their own notes. */
class NotesPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, noteReadPermission) && user) {
      return ownNotes(user.info.userEntityRef);
    }
    if (isPermission(request.permission, noteCreatePermission)) {
      return {
        result:
          user?.info.userEntityRef === alice
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.DENY };
  }
}

/** Backstage's client for the permission backend at `origin`. */
function backstageClient(origin: string, config: object = {}) {
  return new PermissionClient({
    discovery: { getBaseUrl: async id => `${origin}/api/${id}` },
    config: new ConfigReader({ permission: { enabled: true, ...config } }),
  });
}

let backend: PlinthBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

describe.each(permissionBackends)(
  "$name answering Backstage's PermissionClient",
  ({ features }) => {
    async function start() {
      backend = await startPlinthBackend({
        features: features(new NotesPolicy()),
        config: { permission: { enabled: true } },
      });
      return backend;
    }

    it("answers authorize with the policy's decision for each user", async () => {
      const { origin } = await start();
      const client = backstageClient(origin);
      await expect(
        client.authorize([{ permission: noteCreatePermission }], {
          token: mockCredentials.user.token(alice),
        }),
      ).resolves.toMatchObject([{ result: BackstageAuthorizeResult.ALLOW }]);
      await expect(
        client.authorize([{ permission: noteCreatePermission }], {
          token: mockCredentials.user.token(bob),
        }),
      ).resolves.toMatchObject([{ result: BackstageAuthorizeResult.DENY }]);
    });

    it('answers authorizeConditional with the conditions the policy returns', async () => {
      const { origin } = await start();
      // A plugin asks on behalf of its caller, as Backstage's
      // ServerPermissionClient does: the token carries the plugin as actor.
      const token = mockCredentials.service.token({
        onBehalfOf: mockCredentials.user(alice),
        targetPluginId: 'permission',
      });
      await expect(
        backstageClient(origin).authorizeConditional(
          [{ permission: noteReadPermission }],
          { token },
        ),
      ).resolves.toMatchObject([ownNotes(alice)]);
    });

    it('refuses conditions to a user asking directly for a resource permission without a resourceRef, as Backstage does', async () => {
      const { origin } = await start();
      await expect(
        backstageClient(origin).authorizeConditional(
          [{ permission: noteReadPermission }],
          { token: mockCredentials.user.token(alice) },
        ),
      ).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 400,
        body: { error: { name: 'InputError' } },
      });
    });

    it('rejects a token the backend does not accept with 401', async () => {
      const { origin } = await start();
      await expect(
        backstageClient(origin).authorize(
          [{ permission: noteCreatePermission }],
          {
            token: mockCredentials.user.invalidToken(),
          },
        ),
      ).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 401,
        body: { error: { name: 'AuthenticationError' } },
      });
    });
  },
);
