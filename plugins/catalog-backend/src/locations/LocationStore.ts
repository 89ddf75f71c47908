import type { CompoundEntityRef } from '@plinth/catalog-model';
import type { LocationSpec } from '@plinth/plugin-catalog-node';
import type { Location } from './LocationService';

/**
 * Keeps the registered locations and hands their Location entities to the
 * catalog.
 *
 * @internal
 */
export interface LocationStore {
  /** @throws ConflictError when a location with this type and target exists. */
  createLocation(spec: LocationSpec): Promise<Location>;
  listLocations(): Promise<Location[]>;
  /** @throws NotFoundError when no location has this id. */
  getLocation(id: string): Promise<Location>;
  /** @throws NotFoundError when no location has this id. */
  deleteLocation(id: string): Promise<void>;
  /** @throws NotFoundError when the entity did not come from a registered location. */
  getLocationByEntity(ref: CompoundEntityRef): Promise<Location>;
}
