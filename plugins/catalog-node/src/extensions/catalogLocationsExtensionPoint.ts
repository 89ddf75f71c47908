import { createExtensionPoint } from '@plinth/backend-plugin-api';

/**
 * Lets catalog modules choose which location types may be registered
 * through the API.
 *
 * @public
 */
export interface CatalogLocationsExtensionPoint {
  /** Replaces the allowed types (`file` and `url` unless configured). */
  setAllowedLocationTypes(types: string[]): void;
}

/**
 * The `catalog.locations` extension point.
 *
 * @public
 */
export const catalogLocationsExtensionPoint =
  createExtensionPoint<CatalogLocationsExtensionPoint>({
    id: 'catalog.locations',
  });
