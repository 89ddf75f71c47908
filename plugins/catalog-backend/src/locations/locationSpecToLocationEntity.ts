import { createHash } from 'node:crypto';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  stringifyLocationRef,
  type LocationEntity,
} from '@plinth/catalog-model';
import type { DeferredEntity, LocationSpec } from '@plinth/plugin-catalog-node';
import { toLowerEntityRef } from '../shared/toLowerEntityRef';

/**
 * The Location entity that stands for a location registered in config or
 * through the API, and its key: the entity is its own location, so the
 * entities read from it are owned by it.
 *
 * @remarks
 * Its name is `generated-` plus the SHA-1 of `<type>:<target>`, so the same
 * location always yields the same entity.
 *
 * @internal
 */
export function locationSpecToLocationEntity(
  location: LocationSpec,
): DeferredEntity & { entity: LocationEntity } {
  const ref = stringifyLocationRef(location);
  const hash = createHash('sha1').update(ref).digest('hex');
  return {
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: {
        name: `generated-${hash}`,
        annotations: {
          [ANNOTATION_LOCATION]: ref,
          [ANNOTATION_ORIGIN_LOCATION]: ref,
        },
      },
      spec: {
        type: location.type,
        target: location.target,
        ...(location.presence ? { presence: location.presence } : {}),
      },
    },
    locationKey: ref,
  };
}

/**
 * The lowercased ref of the Location entity that stands for a location,
 * the root of everything read through it.
 *
 * @internal
 */
export function toLocationEntityRef(location: LocationSpec): string {
  return toLowerEntityRef(locationSpecToLocationEntity(location).entity);
}
