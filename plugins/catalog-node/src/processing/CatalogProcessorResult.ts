import type { CompoundEntityRef, Entity } from '@plinth/catalog-model';
import type { LocationSpec } from './LocationSpec';

/**
 * A location found while processing, to be read in turn.
 *
 * @public
 */
export interface CatalogProcessorLocationResult {
  type: 'location';
  location: LocationSpec;
}

/**
 * An entity found while reading a location.
 *
 * @public
 */
export interface CatalogProcessorEntityResult {
  type: 'entity';
  entity: Entity;
  /** The location the entity was read from. */
  location: LocationSpec;
  /**
   * Which source owns the entity; two sources with different keys cannot
   * both provide one entity ref. `null` leaves the ref unclaimed.
   * @defaultValue `'<type>:<target>'` of `location`
   */
  locationKey?: string | null;
}

/**
 * A relation between two entities, found while processing one of them.
 *
 * @public
 */
export interface CatalogProcessorRelationResult {
  type: 'relation';
  relation: {
    source: CompoundEntityRef;
    type: string;
    target: CompoundEntityRef;
  };
}

/**
 * A problem found while processing; it shows in the entity's
 * `status.items`, and the last good version of the entity is kept.
 *
 * @public
 */
export interface CatalogProcessorErrorResult {
  type: 'error';
  error: Error;
  location: LocationSpec;
}

/**
 * A key whose refresh (through `EntityProviderConnection.refresh`)
 * re-processes the entity, such as the URL it was read from.
 *
 * @public
 */
export interface CatalogProcessorRefreshKeysResult {
  type: 'refresh';
  key: string;
}

/**
 * Anything a processor emits.
 *
 * @public
 */
export type CatalogProcessorResult =
  | CatalogProcessorLocationResult
  | CatalogProcessorEntityResult
  | CatalogProcessorRelationResult
  | CatalogProcessorErrorResult
  | CatalogProcessorRefreshKeysResult;
