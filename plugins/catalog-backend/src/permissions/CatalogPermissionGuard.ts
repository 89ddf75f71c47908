import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@plinth/backend-plugin-api';
import {
  catalogEntityPermissionResourceRef,
  catalogPermissionRules,
  catalogPermissions,
  type CatalogPermissionRuleInput,
  type EntitiesSearchFilter,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  type BasicPermission,
  type ResourcePermission,
} from '@plinth/plugin-permission-common';
import {
  createConditionTransformer,
  type ConditionTransformer,
} from '@plinth/plugin-permission-node';
import type { Entity } from '@plinth/catalog-model';
import type {
  EntitiesCatalog,
  EntityPermissionFilter,
} from '../entities/EntitiesCatalog';
import { createPermissionDeniedError } from './createPermissionDeniedError';

/**
 * Where a route records the decision it was given, for its audit event.
 *
 * @internal
 */
export interface DecisionRecorder {
  recordDecision(decision: { permission: string; result: string }): void;
}

/**
 * Matches no entity: what a DENY becomes, so a denied read is an empty
 * one. Criteria from policies never hold empty lists, so the type has
 * none; the SQL builder reads an empty `anyOf` as "no entity".
 */
const nothing = { anyOf: [] } as unknown as EntityPermissionFilter;

/**
 * Asks the permissions service about the catalog's permissions and turns
 * the answers into what the catalog enforces: for entity permissions, a
 * filter over the search index (none for ALLOW, one that matches nothing
 * for DENY, the conditions translated by their rules' `toQuery` for
 * CONDITIONAL); for the others, a 403 naming the permission when denied.
 *
 * @internal
 */
export class CatalogPermissionGuard {
  readonly #permissions: PermissionsService;
  readonly #transform: ConditionTransformer<EntitiesSearchFilter>;

  /**
   * Registers the catalog's permissions with the permission framework:
   * `catalog-entity` with its permissions, the built-in rules plus those
   * modules added, and a loader of entities by ref (for conditions the
   * permission backend applies through the catalog's apply-conditions
   * route); the location and other basic permissions alongside. Returns
   * the guard that enforces them.
   *
   * @example
   * ```ts
   * const guard = CatalogPermissionGuard.register({ permissions, registry: permissionsRegistry, extraRules: [], entitiesCatalog });
   * ```
   */
  static register(options: {
    permissions: PermissionsService;
    registry: PermissionsRegistryService;
    extraRules: CatalogPermissionRuleInput[];
    entitiesCatalog: EntitiesCatalog;
  }): CatalogPermissionGuard {
    const { registry, entitiesCatalog } = options;
    const resourceRef = catalogEntityPermissionResourceRef;
    registry.addResourceType({
      resourceRef,
      permissions: catalogPermissions.filter(
        p => 'resourceType' in p && p.resourceType === resourceRef.resourceType,
      ),
      rules: [...Object.values(catalogPermissionRules), ...options.extraRules],
      async getResources(entityRefs) {
        const items = await entitiesCatalog.getEntitiesByRefs({ entityRefs });
        return items.map(item =>
          item === null ? undefined : (JSON.parse(item) as Entity),
        );
      },
    });
    registry.addPermissions(catalogPermissions);
    return new CatalogPermissionGuard({
      permissions: options.permissions,
      transform: createConditionTransformer(
        registry.getPermissionRuleset(resourceRef),
      ),
    });
  }

  /** `transform` turns conditions into search filters, rule by rule. */
  constructor(options: {
    permissions: PermissionsService;
    transform: ConditionTransformer<EntitiesSearchFilter>;
  }) {
    this.#permissions = options.permissions;
    this.#transform = options.transform;
  }

  /**
   * The filter of the entities the caller may use the permission on;
   * `undefined` when it may use it on all of them.
   */
  async entityFilter(
    permission: ResourcePermission<'catalog-entity'>,
    credentials: BackstageCredentials,
    recorder?: DecisionRecorder,
  ): Promise<EntityPermissionFilter | undefined> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    recorder?.recordDecision({
      permission: permission.name,
      result: decision.result,
    });
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW ? undefined : nothing;
    }
    if (
      decision.pluginId !== 'catalog' ||
      decision.resourceType !== catalogEntityPermissionResourceRef.resourceType
    ) {
      throw new Error(
        `The permission policy answered '${permission.name}' with conditions for resource type '${decision.resourceType}' of plugin '${decision.pluginId}'; the catalog applies only conditions for 'catalog-entity' of plugin 'catalog'. Fix the policy's conditional decision.`,
      );
    }
    return this.#transform(decision.conditions);
  }

  /**
   * Like {@link CatalogPermissionGuard.entityFilter}, but throws the 403
   * at once on a DENY, for routes that act rather than list.
   */
  async entityFilterOrThrow(
    permission: ResourcePermission<'catalog-entity'>,
    credentials: BackstageCredentials,
    recorder?: DecisionRecorder,
  ): Promise<EntityPermissionFilter | undefined> {
    const filter = await this.entityFilter(permission, credentials, recorder);
    if (filter === nothing) {
      throw createPermissionDeniedError({ permission, credentials });
    }
    return filter;
  }

  /** Whether the caller may use a basic permission. */
  async isAllowed(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    recorder?: DecisionRecorder,
  ): Promise<boolean> {
    const [decision] = await this.#permissions.authorize([{ permission }], {
      credentials,
    });
    recorder?.recordDecision({
      permission: permission.name,
      result: decision.result,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /**
   * Returns when the caller may use a basic permission.
   * @throws {@link @plinth/errors#NotAllowedError} naming it otherwise.
   */
  async assertAllowed(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    recorder?: DecisionRecorder,
  ): Promise<void> {
    if (!(await this.isAllowed(permission, credentials, recorder))) {
      throw createPermissionDeniedError({ permission, credentials });
    }
  }
}
