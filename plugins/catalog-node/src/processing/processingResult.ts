import type { CompoundEntityRef, Entity } from '@plinth/catalog-model';
import { InputError, NotFoundError } from '@plinth/errors';
import type { CatalogProcessorResult } from './CatalogProcessorResult';
import type { LocationSpec } from './LocationSpec';

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
