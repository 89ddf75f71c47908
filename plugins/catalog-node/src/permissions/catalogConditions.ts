import { createConditionExports } from '@plinth/plugin-permission-node';
import { catalogEntityPermissionResourceRef } from './catalogPermissions';
import { catalogPermissionRules } from './catalogPermissionRules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: catalogEntityPermissionResourceRef,
  rules: catalogPermissionRules,
});

/**
 * One condition factory per built-in catalog rule, for policies:
 * `catalogConditions.isEntityOwner({ claims: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const catalogConditions = conditions;

/**
 * A CONDITIONAL decision for a catalog entity permission, which the
 * catalog enforces in the SQL of its reads and writes.
 *
 * @example
 * ```ts
 * return createCatalogConditionalDecision(
 *   request.permission,
 *   catalogConditions.isEntityOwner({ claims: user?.info.ownershipEntityRefs ?? [] }),
 * );
 * ```
 * @public
 */
export const createCatalogConditionalDecision = createConditionalDecision;
