/**
 * What Backstage's `@backstage/plugin-catalog-node/alpha` and the alpha
 * entries of its catalog packages hold, for modules and policies written
 * against them: the `catalog.model` extension point and its model source
 * contract (the same values as the main entry's), and the catalog's
 * permissions, permission rules, conditions and the `catalog.permission`
 * extension point.
 *
 * @packageDocumentation
 */
export {
  catalogModelExtensionPoint,
  type CatalogModelExtensionPoint,
} from './extensionPoints';
export type {
  CatalogModelLayer,
  CatalogModelSource,
  CatalogModelSourceReadOptions,
} from './model/CatalogModelSource';
export {
  RESOURCE_TYPE_CATALOG_ENTITY,
  catalogDiagnosticsReadPermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityPermissionResourceRef,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
  catalogPermissions,
  type EntitiesSearchFilter,
} from './permissions/catalogPermissions';
export {
  catalogPermissionRules,
  hasAnnotation,
  hasLabel,
  hasMetadata,
  hasRelation,
  hasSpec,
  isEntityKind,
  isEntityOwner,
} from './permissions/catalogPermissionRules';
export {
  catalogConditions,
  createCatalogConditionalDecision,
} from './permissions/catalogConditions';
export {
  catalogPermissionExtensionPoint,
  type CatalogPermissionExtensionPoint,
  type CatalogPermissionRuleInput,
} from './permissions/catalogPermissionExtensionPoint';
