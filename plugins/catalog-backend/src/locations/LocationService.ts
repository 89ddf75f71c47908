import type { CompoundEntityRef, Entity } from '@plinth/catalog-model';
import type { LocationSpec } from '@plinth/plugin-catalog-node';

/**
 * A location registered through the REST API.
 *
 * @internal
 */
export interface Location {
  /** A UUID; `<type>:<target>` for the answer of a dry run. */
  id: string;
  type: string;
  target: string;
}

/**
 * What `POST /locations` answers.
 *
 * @internal
 */
export interface CreateLocationResult {
  location: Location;
  /** The entities the location yields; only a dry run fills it. */
  entities: Entity[];
  /** Whether the location is already registered; only a dry run says. */
  exists?: boolean;
}

/**
 * Registers, lists and removes the locations behind `/locations`.
 *
 * @internal
 */
export interface LocationService {
  /**
   * Checks a location given through the API and returns it normalized
   * (file targets absolute): its type must be allowed, and a `url` target
   * an `http(s)` URL without credentials.
   *
   * @throws InputError naming the problem.
   */
  checkLocation(spec: LocationSpec): LocationSpec;
  /**
   * Registers a location, or with `dryRun` only reads it and returns the
   * entities it would yield, without writing anything.
   *
   * @throws InputError when the location type is not allowed;
   *   ConflictError when it is already registered.
   */
  createLocation(
    spec: LocationSpec,
    dryRun: boolean,
  ): Promise<CreateLocationResult>;
  listLocations(): Promise<Location[]>;
  /** @throws NotFoundError when no location has this id. */
  getLocation(id: string): Promise<Location>;
  /** @throws NotFoundError when no location has this id. */
  deleteLocation(id: string): Promise<void>;
  /**
   * The registered location an entity originally came from.
   *
   * @throws NotFoundError when the entity is unknown or did not come from a
   *   registered location.
   */
  getLocationByEntity(ref: CompoundEntityRef): Promise<Location>;
}
