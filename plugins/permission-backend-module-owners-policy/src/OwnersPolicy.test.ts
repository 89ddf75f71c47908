import { mockCredentials } from '@plinth/backend-test-utils';
import {
  catalogConditions,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
  createCatalogConditionalDecision,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  createPermission,
  type Permission,
} from '@plinth/plugin-permission-common';
import type { PolicyQueryUser } from '@plinth/plugin-permission-node';
import { OwnersPolicy } from './OwnersPolicy';
import type { OwnersPolicyOptions } from './readOwnersPolicyConfig';

const allow = { result: AuthorizeResult.ALLOW };
const deny = { result: AuthorizeResult.DENY };

const janeRefs = ['user:default/jane', 'group:default/team-a'];
const jane = createUser('user:default/jane', janeRefs);
const admin = createUser('user:default/root', [
  'user:default/root',
  'group:default/Admins',
]);

function createUser(
  userEntityRef: string,
  ownershipEntityRefs: string[],
): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs },
    token: mockCredentials.user.token(userEntityRef),
  };
}

function decide(
  permission: Permission,
  user: PolicyQueryUser | undefined,
  options: OwnersPolicyOptions = { adminGroups: ['group:default/admins'] },
) {
  return OwnersPolicy.create(options).handle({ permission }, user);
}

/** Catalog entity permissions another plugin might declare. */
const entityAnnotatePermission = createPermission({
  name: 'example.entity.annotate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});
const entityCreatePermission = createPermission({
  name: 'example.entity.clone',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});
const todoReadPermission = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
  resourceType: 'todo-item',
});
const todoCreatePermission = createPermission({
  name: 'todo.item.create',
  attributes: { action: 'create' },
});
const todoUpdatePermission = createPermission({
  name: 'todo.item.update',
  attributes: { action: 'update' },
  resourceType: 'todo-item',
});
const todoDeletePermission = createPermission({
  name: 'todo.item.delete',
  attributes: { action: 'delete' },
  resourceType: 'todo-item',
});
const proxyPermission = createPermission({
  name: 'kubernetes.proxy',
  attributes: {},
});

const everyPermission = [
  catalogEntityReadPermission,
  catalogEntityCreatePermission,
  catalogEntityRefreshPermission,
  catalogEntityDeletePermission,
  catalogEntityValidatePermission,
  catalogLocationReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationAnalyzePermission,
  entityAnnotatePermission,
  todoReadPermission,
  todoCreatePermission,
  todoUpdatePermission,
  todoDeletePermission,
  proxyPermission,
];
const names = everyPermission.map(
  permission => [permission.name, permission] as [string, Permission],
);

describe('OwnersPolicy', () => {
  it.each(names)('denies %s to a caller who is not a user', async (_, p) => {
    await expect(decide(p, undefined)).resolves.toEqual(deny);
  });

  it.each(names)('allows %s to a member of an admin group', async (_, p) => {
    await expect(decide(p, admin)).resolves.toEqual(allow);
  });

  it('allows every signed-in user to read entities by default', async () => {
    await expect(decide(catalogEntityReadPermission, jane)).resolves.toEqual(
      allow,
    );
  });

  it.each([
    catalogEntityRefreshPermission,
    catalogEntityDeletePermission,
    entityAnnotatePermission,
  ])(
    'lets owners change the entities they own: $name is conditional on isEntityOwner',
    async permission => {
      await expect(decide(permission, jane)).resolves.toEqual(
        createCatalogConditionalDecision(
          permission,
          catalogConditions.isEntityOwner({ claims: janeRefs }),
        ),
      );
    },
  );

  it('writes the conditional decision as the wire format has it', async () => {
    await expect(decide(catalogEntityDeletePermission, jane)).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: janeRefs },
      },
    });
  });

  it('denies entity permissions with another action than read, update or delete', async () => {
    await expect(decide(entityCreatePermission, jane)).resolves.toEqual(deny);
  });

  it('limits reading to owners and the visible kinds with read: owners', async () => {
    await expect(
      decide(catalogEntityReadPermission, jane, { read: 'owners' }),
    ).resolves.toEqual(
      createCatalogConditionalDecision(catalogEntityReadPermission, {
        anyOf: [
          catalogConditions.isEntityOwner({ claims: janeRefs }),
          catalogConditions.isEntityKind({ kinds: ['User', 'Group'] }),
        ],
      }),
    );
  });

  it('limits reading to owners alone when no kind stays visible', async () => {
    await expect(
      decide(catalogEntityReadPermission, jane, {
        read: 'owners',
        visibleKinds: [],
      }),
    ).resolves.toEqual(
      createCatalogConditionalDecision(
        catalogEntityReadPermission,
        catalogConditions.isEntityOwner({ claims: janeRefs }),
      ),
    );
  });

  it('lets admins read everything with read: owners', async () => {
    await expect(
      decide(catalogEntityReadPermission, admin, {
        read: 'owners',
        adminGroups: ['group:default/admins'],
      }),
    ).resolves.toEqual(allow);
  });

  it.each([
    catalogEntityCreatePermission,
    catalogLocationCreatePermission,
    catalogLocationAnalyzePermission,
  ])('allows every signed-in user $name by default', async permission => {
    await expect(decide(permission, jane)).resolves.toEqual(allow);
  });

  it.each([
    catalogEntityCreatePermission,
    catalogLocationCreatePermission,
    catalogLocationAnalyzePermission,
  ])('keeps $name for admins with create: admins', async permission => {
    const options: OwnersPolicyOptions = {
      create: 'admins',
      adminGroups: ['group:default/admins'],
    };
    await expect(decide(permission, jane, options)).resolves.toEqual(deny);
    await expect(decide(permission, admin, options)).resolves.toEqual(allow);
  });

  it.each([catalogEntityValidatePermission, catalogLocationReadPermission])(
    'allows every signed-in user $name',
    async permission => {
      await expect(decide(permission, jane)).resolves.toEqual(allow);
    },
  );

  it('keeps deleting locations for admins, as locations have no owner', async () => {
    await expect(
      decide(catalogLocationDeletePermission, jane),
    ).resolves.toEqual(deny);
  });

  it("allows other plugins' read permissions", async () => {
    await expect(decide(todoReadPermission, jane)).resolves.toEqual(allow);
  });

  it.each([
    todoCreatePermission,
    todoUpdatePermission,
    todoDeletePermission,
    proxyPermission,
  ])(
    "keeps other plugins' $name (action '$attributes.action') for admins",
    async permission => {
      await expect(decide(permission, jane)).resolves.toEqual(deny);
    },
  );

  it('allows the permissions named in allow to every signed-in user', async () => {
    const options = { allow: ['kubernetes.proxy', 'catalog.location.delete'] };
    await expect(decide(proxyPermission, jane, options)).resolves.toEqual(
      allow,
    );
    await expect(
      decide(catalogLocationDeletePermission, jane, options),
    ).resolves.toEqual(allow);
    await expect(decide(proxyPermission, undefined, options)).resolves.toEqual(
      deny,
    );
  });

  it('matches admin groups case-insensitively', async () => {
    await expect(
      decide(todoDeletePermission, admin, {
        adminGroups: ['GROUP:default/admins'],
      }),
    ).resolves.toEqual(allow);
  });

  it('makes nobody an admin without admin groups', async () => {
    await expect(decide(todoDeletePermission, admin, {})).resolves.toEqual(
      deny,
    );
  });
});
