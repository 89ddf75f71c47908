import type { CompoundEntityRef, Entity } from '@plinth/catalog-model';
import { InputError, NotFoundError } from '@plinth/errors';
import type { LocationSpec } from './CatalogProcessor';

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

/**
 * Builders for what processors emit, so processors never hand-build result
 * objects.
 *
 * @example
 * ```ts
 * emit(processingResult.entity(location, entity));
 * emit(processingResult.notFoundError(location, `No file at '${location.target}'`));
 * ```
 * @public
 */
export const processingResult = Object.freeze({
  /** The location's target does not exist. */
  notFoundError(
    location: LocationSpec,
    message: string,
  ): CatalogProcessorResult {
    return { type: 'error', location, error: new NotFoundError(message) };
  },
  /** The location's content is malformed or invalid. */
  inputError(location: LocationSpec, message: string): CatalogProcessorResult {
    return { type: 'error', location, error: new InputError(message) };
  },
  /** Any other failure while reading or processing. */
  generalError(
    location: LocationSpec,
    message: string,
  ): CatalogProcessorResult {
    return { type: 'error', location, error: new Error(message) };
  },
  /** A location to read in turn. */
  location(location: LocationSpec): CatalogProcessorResult {
    return { type: 'location', location };
  },
  /** An entity read from `location`. */
  entity(
    location: LocationSpec,
    entity: Entity,
    options?: { locationKey?: string | null },
  ): CatalogProcessorResult {
    return {
      type: 'entity',
      location,
      entity,
      ...(options && 'locationKey' in options
        ? { locationKey: options.locationKey }
        : {}),
    };
  },
  /** A relation between two entities. */
  relation(relation: {
    source: CompoundEntityRef;
    type: string;
    target: CompoundEntityRef;
  }): CatalogProcessorResult {
    return { type: 'relation', relation };
  },
  /** A key whose refresh re-processes the current entity. */
  refresh(key: string): CatalogProcessorResult {
    return { type: 'refresh', key };
  },
});
