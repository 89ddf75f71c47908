import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type LocationEntity,
} from '@plinth/catalog-model';
import type { LocationSpec } from '@plinth/plugin-catalog-node';
import { locationSpecToLocationEntity } from '../locations/locationSpecToLocationEntity';

/**
 * The Location entity for a location a processor found while processing
 * another entity: named as for a registered location, so the same location
 * always gives the same entity, but owned by the location of its parent.
 */
export function toLocationEntity(
  location: LocationSpec,
  parent: { location: string; originLocation: string },
): LocationEntity {
  const { entity } = locationSpecToLocationEntity(location);
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        [ANNOTATION_LOCATION]: parent.location,
        [ANNOTATION_ORIGIN_LOCATION]: parent.originLocation,
      },
    },
  };
}
