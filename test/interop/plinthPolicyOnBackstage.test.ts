import { createBackendModule } from '@plinth/backend-plugin-api';
import {
  catalogConditions,
  catalogEntityReadPermission,
  createCatalogConditionalDecision,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
} from '@plinth/plugin-permission-node';
import { policyExtensionPoint } from '@plinth/plugin-permission-node/alpha';
import path from 'node:path';
import {
  backstageToken,
  startBackstageBackend,
  type BackstageBackend,
} from './backstageBackend';
import { databases } from './plinthBackend';
import { send, waitForEntity } from './requests';

// The reverse direction: Plinth's permission backend and a policy written
// with Plinth's catalog conditions, on a real Backstage backend
// (`createBackend()` of backend-defaults), deciding for Backstage's own
// published catalog, which turns the conditions into its SQL with its own
// rules. It proves the conditions Plinth's packages build carry
// Backstage's rule names and params.

const target = path.join(__dirname, 'fixtures/permissions/catalog-info.yaml');

/** Anonymous callers read APIs only; everything else is allowed. */
class PublicApisPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery): Promise<PolicyDecision> {
    if (isPermission(request.permission, catalogEntityReadPermission)) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityKind({ kinds: ['API'] }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'interop-public-apis-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new PublicApisPolicy());
      },
    });
  },
});

let backend: BackstageBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

describe.each(databases.eachSupportedId())(
  "Plinth's permission backend on Backstage deciding for Backstage's catalog on %s",
  databaseId => {
    it("filters Backstage's catalog with the conditions of a Plinth policy", async () => {
      backend = await startBackstageBackend({
        features: [
          import('@backstage/plugin-catalog-backend'),
          import('@plinth/plugin-permission-backend'),
          policyModule,
        ],
        config: {
          permission: { enabled: true },
          // Requests without a token reach plugins as anonymous callers,
          // whom the policy decides for; Backstage's user tokens need its
          // auth backend, which this suite does not run.
          backend: {
            auth: {
              dangerouslyDisableDefaultAuthPolicy: true,
              // Replaces backstageBackend.ts's `backend.auth`, so the
              // token the test waits with is listed again.
              externalAccess: [
                {
                  type: 'static',
                  options: { token: backstageToken, subject: 'interop-test' },
                },
              ],
            },
          },
          catalog: {
            rules: [{ allow: ['Component', 'API', 'Location'] }],
            locations: [{ type: 'file', target }],
          },
        },
        database: databaseId,
      });
      const asService = { authorization: backend.authorization };
      for (const ref of [
        'component:default/policy-hidden-service',
        'api:default/policy-public-api',
      ]) {
        await waitForEntity(backend.origin, ref, { headers: asService });
      }
      const anonymous = await send(`${backend.origin}/api/catalog/entities`);
      expect(anonymous.status).toBe(200);
      expect(
        (anonymous.body as Array<{ metadata: { name: string } }>).map(
          e => e.metadata.name,
        ),
      ).toEqual(['policy-public-api']);
      const hidden = await send(
        `${backend.origin}/api/catalog/entities/by-name/component/default/policy-hidden-service`,
      );
      expect(hidden.status).toBe(404);
    });
  },
);
