import type { Config } from '@plinth/backend-plugin-api';
import {
  catalogConditions,
  catalogEntityCreatePermission,
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
  isResourcePermission,
  type Permission,
  type PolicyDecision,
  type ResourcePermission,
} from '@plinth/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@plinth/plugin-permission-node';
import {
  readOwnersPolicyConfig,
  type OwnersPolicyOptions,
} from './readOwnersPolicyConfig';

/** What a catalog conditional decision is made of. */
type EntityCriteria = Parameters<typeof createCatalogConditionalDecision>[1];

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/** Registering, which the `create` option decides. */
const registerPermissions = new Set([
  catalogEntityCreatePermission.name,
  catalogLocationCreatePermission.name,
  catalogLocationAnalyzePermission.name,
]);

/**
 * The catalog's basic permissions that are not registering, with what a
 * signed-in user who is no admin gets.
 */
const otherCatalogDecisions = new Map<string, PolicyDecision>([
  // Validation stores nothing; it lets authors check a file before they
  // register it.
  [catalogEntityValidatePermission.name, allow],
  [catalogLocationReadPermission.name, allow],
  // Locations have no owner the policy could check.
  [catalogLocationDeletePermission.name, deny],
]);

/**
 * A permission policy to copy: signed-in users read, owners change the
 * catalog entities they own, members of an admin group may do
 * everything, anonymous callers get nothing.
 *
 * @remarks
 * Decisions, for a signed-in user who is not an admin:
 * - `catalog-entity` permissions with action `read`: ALLOW, or with
 *   `read: 'owners'` CONDITIONAL on `isEntityOwner` (or `isEntityKind` of
 *   the visible kinds);
 * - `catalog-entity` permissions with action `update` or `delete`
 *   (`catalog.entity.refresh`, `catalog.entity.delete`): CONDITIONAL on
 *   `isEntityOwner` with the user's ownership refs;
 * - registering (`catalog.entity.create`, `catalog.location.create`,
 *   `catalog.location.analyze`): the `create` option;
 * - `catalog.entity.validate`, `catalog.location.read`: ALLOW;
 *   `catalog.location.delete`: DENY;
 * - any other permission: ALLOW when its action is `read`, else DENY;
 * - a permission named in `allow`: ALLOW.
 *
 * Service principals (plugins, static and scoped API tokens) never reach a
 * policy: the permissions service and the permission backend decide them
 * from their access restrictions, so the policy neither widens nor
 * narrows a token's scopes.
 *
 * @public
 */
export class OwnersPolicy implements PermissionPolicy {
  readonly #adminRefs: ReadonlySet<string>;
  readonly #readByOwnersOnly: boolean;
  readonly #visibleKinds: string[];
  readonly #registerDecision: PolicyDecision;
  readonly #allowed: ReadonlySet<string>;

  /**
   * @example
   * ```ts
   * const policy = OwnersPolicy.create({ adminGroups: ['group:default/admins'] });
   * ```
   */
  static create(options: OwnersPolicyOptions = {}): OwnersPolicy {
    return new OwnersPolicy(options);
  }

  /**
   * Reads the options from `permission.ownersPolicy`.
   *
   * @throws `InputError` as {@link readOwnersPolicyConfig} does.
   */
  static fromConfig(config: Config): OwnersPolicy {
    return new OwnersPolicy(readOwnersPolicyConfig(config));
  }

  private constructor(options: OwnersPolicyOptions) {
    this.#adminRefs = new Set(
      (options.adminGroups ?? []).map(ref => ref.toLowerCase()),
    );
    this.#readByOwnersOnly = options.read === 'owners';
    this.#visibleKinds = [...(options.visibleKinds ?? ['User', 'Group'])];
    this.#registerDecision = options.create === 'admins' ? deny : allow;
    this.#allowed = new Set(options.allow ?? []);
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return deny;
    }
    const { permission } = request;
    if (this.#isAdmin(user) || this.#allowed.has(permission.name)) {
      return allow;
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      return this.#decideEntity(permission, user);
    }
    if (registerPermissions.has(permission.name)) {
      return this.#registerDecision;
    }
    return (
      otherCatalogDecisions.get(permission.name) ?? decideByAction(permission)
    );
  }

  #isAdmin(user: PolicyQueryUser): boolean {
    return user.info.ownershipEntityRefs.some(ref =>
      this.#adminRefs.has(ref.toLowerCase()),
    );
  }

  #decideEntity(
    permission: ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY>,
    user: PolicyQueryUser,
  ): PolicyDecision {
    const owned = catalogConditions.isEntityOwner({
      claims: user.info.ownershipEntityRefs,
    });
    switch (permission.attributes.action) {
      case 'read':
        return this.#readByOwnersOnly
          ? createCatalogConditionalDecision(
              permission,
              this.#readableCriteria(owned),
            )
          : allow;
      case 'update':
      case 'delete':
        return createCatalogConditionalDecision(permission, owned);
      default:
        return deny;
    }
  }

  #readableCriteria(owned: EntityCriteria): EntityCriteria {
    if (this.#visibleKinds.length === 0) {
      return owned;
    }
    return {
      anyOf: [
        owned,
        catalogConditions.isEntityKind({ kinds: this.#visibleKinds }),
      ],
    };
  }
}

/** Other plugins' permissions: reading is allowed, changing is for admins. */
function decideByAction(permission: Permission): PolicyDecision {
  return permission.attributes.action === 'read' ? allow : deny;
}
