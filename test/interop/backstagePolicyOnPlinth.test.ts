import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { permissionsServiceFactory } from '@plinth/backend-defaults';
import { mockCredentials, mockServices } from '@plinth/backend-test-utils';
import { catalogPlugin } from '@plinth/plugin-catalog-backend';
import {
  databases,
  startPlinthBackend,
  type PlinthBackend,
} from './plinthBackend';
import { send, sendJson, waitForEntity } from './requests';

// Backstage's published permission backend, with a policy module written
// against Backstage's packages only, deciding for Plinth's catalog: the
// catalog asks it over HTTP (Plinth's permissions service with
// `permission.enabled`) and turns its conditions, in Backstage's wire
// shape, into its own filters.

const base = 'https://git.example.com/backstage-policy';

const files = {
  [`${base}/catalog-info.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: team-a-service
spec:
  type: service
  lifecycle: production
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: team-b-service
spec:
  type: service
  lifecycle: production
  owner: team-b
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: team-b-api
spec:
  type: openapi
  lifecycle: production
  owner: team-b
  definition: 'openapi: 3.0.0'
`,
};

const alice = 'user:default/alice';

/**
 * A policy as a Backstage adopter writes one: everyone reads APIs and what
 * they own, nobody deletes entities or registers locations, everything
 * else is allowed.
 */
class InteropCatalogPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, catalogEntityReadPermission)) {
      return createCatalogConditionalDecision(request.permission, {
        anyOf: [
          catalogConditions.isEntityOwner({
            claims: user?.info.ownershipEntityRefs ?? [],
          }),
          catalogConditions.isEntityKind({ kinds: ['API'] }),
        ],
      });
    }
    if (
      isPermission(request.permission, catalogEntityDeletePermission) ||
      isPermission(request.permission, catalogLocationCreatePermission)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'interop-catalog-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new InteropCatalogPolicy());
      },
    });
  },
});

/** Requests that reach the catalog as a service, which the policy does not decide. */
const asService = { authorization: mockCredentials.service.header() };
const asAlice = { authorization: mockCredentials.user.header(alice) };

/** `kind:namespace/name` of each entity, sorted, for comparing lists. */
function refsOf(body: unknown): string[] {
  return (
    body as Array<{
      kind: string;
      metadata: { namespace?: string; name: string };
    }>
  )
    .map(
      e =>
        `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`,
    )
    .sort();
}

let backend: PlinthBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

describe.each(databases.eachSupportedId())(
  "Backstage's plugin-permission-backend deciding for Plinth's catalog on %s",
  databaseId => {
    async function start() {
      backend = await startPlinthBackend({
        features: [
          catalogPlugin,
          import('@backstage/plugin-permission-backend'),
          policyModule,
          // The test backend's default permissions service allows
          // everything; this is the one a Plinth backend runs.
          permissionsServiceFactory,
          mockServices.userInfo.factory({
            ownership: { [alice]: ['group:default/team-a'] },
          }),
          mockServices.urlReader.factory(files),
        ],
        config: {
          permission: { enabled: true },
          catalog: {
            rules: [{ allow: ['Component', 'API', 'Location'] }],
            locations: [{ type: 'url', target: `${base}/catalog-info.yaml` }],
          },
        },
        database: databaseId,
      });
      for (const ref of [
        'component:default/team-a-service',
        'component:default/team-b-service',
        'api:default/team-b-api',
      ]) {
        await waitForEntity(backend.origin, ref, {
          headers: asService,
          logs: backend.logger.lines,
        });
      }
      return backend;
    }

    it("lists only the entities the policy's conditions allow the user to read", async () => {
      const { origin } = await start();
      const listed = await send(`${origin}/api/catalog/entities`, {
        headers: asAlice,
      });
      expect(listed.status).toBe(200);
      expect(refsOf(listed.body)).toEqual([
        'api:default/team-b-api',
        'component:default/team-a-service',
      ]);
      // The service sees them all: the policy is not asked about it.
      const all = await send(
        `${origin}/api/catalog/entities?filter=kind=component`,
        { headers: asService },
      );
      expect(refsOf(all.body)).toEqual([
        'component:default/team-a-service',
        'component:default/team-b-service',
      ]);
    });

    it('answers null in the by-refs slot of an entity the policy hides from the user', async () => {
      const { origin } = await start();
      const read = await sendJson(
        `${origin}/api/catalog/entities/by-refs`,
        {
          entityRefs: [
            'component:default/team-b-service',
            'component:default/team-a-service',
          ],
        },
        { headers: asAlice },
      );
      expect(read).toMatchObject({
        status: 200,
        body: {
          items: [null, { metadata: { name: 'team-a-service' } }],
        },
      });
    });

    it('answers 404 for an entity the policy hides from the user', async () => {
      const { origin } = await start();
      const hidden = await send(
        `${origin}/api/catalog/entities/by-name/component/default/team-b-service`,
        { headers: asAlice },
      );
      expect(hidden.status).toBe(404);
      const owned = await send(
        `${origin}/api/catalog/entities/by-name/component/default/team-a-service`,
        { headers: asAlice },
      );
      expect(owned).toMatchObject({
        status: 200,
        body: { metadata: { name: 'team-a-service' } },
      });
    });

    it('answers 403 to a delete and a location registration the policy denies', async () => {
      const { origin } = await start();
      const entity = await waitForEntity(
        origin,
        'component:default/team-a-service',
        { headers: asService },
      );
      const deleted = await send(
        `${origin}/api/catalog/entities/by-uid/${entity.metadata.uid}`,
        { method: 'DELETE', headers: asAlice },
      );
      expect(deleted).toMatchObject({
        status: 403,
        body: {
          error: {
            name: 'NotAllowedError',
            message:
              "Permission 'catalog.entity.delete' was denied to 'user:default/alice' by the permission policy. Ask an administrator of the permission policy for access.",
          },
        },
      });
      const registered = await sendJson(
        `${origin}/api/catalog/locations`,
        { type: 'url', target: `${base}/other.yaml` },
        { headers: asAlice },
      );
      expect(registered).toMatchObject({
        status: 403,
        body: {
          error: {
            name: 'NotAllowedError',
            message:
              "Permission 'catalog.location.create' was denied to 'user:default/alice' by the permission policy. Ask an administrator of the permission policy for access.",
          },
        },
      });
      // Denied, so still there.
      await waitForEntity(origin, 'component:default/team-a-service', {
        headers: asAlice,
      });
    });
  },
);
