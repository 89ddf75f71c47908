/**
 * The location that keeps the entity in the catalog, as a location ref
 * (`url:https://...`); set by the catalog on every entity it reads.
 *
 * @public
 */
export const ANNOTATION_LOCATION = 'backstage.io/managed-by-location';

/**
 * The location that first led the catalog to the entity, as a location ref;
 * set by the catalog, and the location to delete to remove the entity.
 *
 * @public
 */
export const ANNOTATION_ORIGIN_LOCATION =
  'backstage.io/managed-by-origin-location';

/**
 * Where the source code of the entity lives, as a location ref.
 *
 * @public
 */
export const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';

/**
 * An address where people can view the descriptor file of the entity.
 *
 * @public
 */
export const ANNOTATION_VIEW_URL = 'backstage.io/view-url';

/**
 * An address where people can edit the descriptor file of the entity.
 *
 * @public
 */
export const ANNOTATION_EDIT_URL = 'backstage.io/edit-url';

/**
 * Set to `'true'` by the catalog on an entity that no location or provider
 * emits any more, when orphans are kept.
 *
 * @public
 */
export const ANNOTATION_ORPHAN = 'backstage.io/orphan';
