import type { Entity } from '@plinth/catalog-model';
import type { LocationSpec } from '@plinth/plugin-catalog-node';

/**
 * Decides whether an entity read from a location may enter the catalog,
 * following `catalog.rules` and the `rules` of `catalog.locations` entries.
 *
 * @internal
 */
export interface CatalogRulesEnforcer {
  /** Whether `entity`, read from `location`, is allowed by any rule. */
  isAllowed(entity: Entity, location: LocationSpec): boolean;
}
