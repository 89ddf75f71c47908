import {
  ANNOTATION_LOCATION,
  stringifyEntityRef,
  stringifyLocationRef,
  type Entity,
} from '@plinth/catalog-model';
import type { LocationSpec } from '@plinth/plugin-catalog-node';
import type {
  EntitiesCatalog,
  EntityPermissionFilter,
  EntityPosition,
} from '../entities/EntitiesCatalog';
import { locationSpecToLocationEntity } from '../locations/locationSpecToLocationEntity';

/** Refs read per page; only three short fields of each are read. */
const pageSize = 1000;

/**
 * The entities the catalog now serves from `location` (their
 * `backstage.io/managed-by-location` is it) that the batch does not
 * hold, which would go when the location's file becomes the batch; by
 * ref. The Location entity that stands for the registered location
 * itself is not read from the file, so it never counts. Only entities the
 * caller may read are listed.
 *
 * @internal
 */
export async function findDeletedEntities(
  entitiesCatalog: EntitiesCatalog,
  options: {
    location: LocationSpec;
    /** Lowercased refs of the batch's documents. */
    batchRefs: ReadonlySet<string>;
    readFilter?: EntityPermissionFilter;
  },
): Promise<Array<{ entityRef: string }>> {
  const locationRef = stringifyLocationRef(options.location);
  const registration = stringifyEntityRef(
    locationSpecToLocationEntity(options.location).entity,
  ).toLowerCase();
  const deleted: Array<{ entityRef: string }> = [];
  let after: EntityPosition | undefined;
  do {
    const page = await entitiesCatalog.listEntities({
      filter: [
        [
          {
            key: `metadata.annotations.${ANNOTATION_LOCATION}`,
            values: [locationRef],
          },
        ],
      ],
      permissionFilter: options.readFilter,
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
      limit: pageSize,
      ...(after && { after }),
    });
    for (const json of page.entities) {
      const ref = stringifyEntityRef(JSON.parse(json) as Entity);
      const key = ref.toLowerCase();
      if (key !== registration && !options.batchRefs.has(key)) {
        deleted.push({ entityRef: ref });
      }
    }
    after = page.endPosition;
  } while (after);
  return deleted;
}
