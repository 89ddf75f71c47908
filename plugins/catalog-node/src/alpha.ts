/**
 * What Backstage's `@backstage/plugin-catalog-node/alpha` holds, for
 * modules written against it: the `catalog.model` extension point and its
 * model source contract. They are the same values as the main entry's.
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
