import { createExtensionPoint } from '@plinth/backend-plugin-api';
import type { Entity } from '@plinth/catalog-model';
import type {
  PermissionRule,
  PermissionRuleParams,
} from '@plinth/plugin-permission-common';
import type { EntitiesSearchFilter } from './catalogPermissions';

/**
 * A permission rule for catalog entities, as modules add them.
 *
 * @public
 */
export type CatalogPermissionRuleInput<
  TParams extends PermissionRuleParams = PermissionRuleParams,
> = PermissionRule<Entity, EntitiesSearchFilter, 'catalog-entity', TParams>;

/**
 * Lets catalog modules add permission rules for `catalog-entity`, which
 * policies can then use in conditional decisions; the catalog turns them
 * into SQL through their `toQuery`, as it does its own rules.
 *
 * @public
 */
export interface CatalogPermissionExtensionPoint {
  addPermissionRules(
    ...rules: Array<CatalogPermissionRuleInput | CatalogPermissionRuleInput[]>
  ): void;
}

/**
 * The `catalog.permission` extension point.
 *
 * @example
 * ```ts
 * createBackendModule({
 *   pluginId: 'catalog',
 *   moduleId: 'system-rule',
 *   register(env) {
 *     env.registerInit({
 *       deps: { permission: catalogPermissionExtensionPoint },
 *       async init({ permission }) {
 *         permission.addPermissionRules(isInSystemRule);
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const catalogPermissionExtensionPoint =
  createExtensionPoint<CatalogPermissionExtensionPoint>({
    id: 'catalog.permission',
  });
