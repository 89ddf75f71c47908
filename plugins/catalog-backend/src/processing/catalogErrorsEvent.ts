/**
 * The events topic on which the catalog publishes each processing run that
 * reported errors, as Backstage's catalog does; its payload is a
 * {@link CatalogErrorsEventPayload}.
 *
 * @public
 */
export const CATALOG_ERRORS_TOPIC = 'experimental.catalog.errors';

/**
 * What the catalog publishes on {@link CATALOG_ERRORS_TOPIC}: Backstage's
 * shape, which `catalog-backend-module-logs` reads.
 *
 * @public
 */
export interface CatalogErrorsEventPayload {
  /** The ref of the entity whose processing failed, such as `component:default/cart`. */
  entity: string;
  /** The entity's `backstage.io/managed-by-location`, such as `url:https://...`. */
  location?: string;
  /** The errors of the run, as JSON: name, message, code and causes. */
  errors: Array<{ name: string; message: string; [key: string]: unknown }>;
}
