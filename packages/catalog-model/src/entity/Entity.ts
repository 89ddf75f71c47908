import type { JsonObject } from '@plinth/errors';

// The object shapes below are type aliases, not interfaces, so that they
// count as JSON objects: an entity can be stored, cached and hashed as JSON.

/**
 * A link to an external resource about an entity, shown next to it.
 *
 * @public
 */
export type EntityLink = {
  /** The address the link points to. */
  url: string;
  /** A short human-readable label for the link. */
  title?: string;
  /** The name of an icon to show next to the link. */
  icon?: string;
  /** What kind of resource the link is, for grouping, e.g. `dashboard`. */
  type?: string;
};

/**
 * The `metadata` of an entity: its identity and its descriptive fields.
 *
 * @public
 */
export interface EntityMeta extends JsonObject {
  /** A unique id the catalog assigns when it first stores the entity. */
  uid?: string;
  /** Changes whenever the stored entity changes, for optimistic concurrency. */
  etag?: string;
  /** The name of the entity, unique within its kind and namespace. */
  name: string;
  /**
   * The namespace of the entity.
   *
   * @defaultValue `'default'`
   */
  namespace?: string;
  /** A display name for the entity. */
  title?: string;
  /** A human-readable description of the entity. */
  description?: string;
  /** Short values for filtering and grouping. */
  labels?: Record<string, string>;
  /** Arbitrary non-identifying values, often for tools and plugins. */
  annotations?: Record<string, string>;
  /** Single-word classifications of the entity. */
  tags?: string[];
  /** Links to external resources about the entity. */
  links?: EntityLink[];
}

/**
 * A directed relation from one entity to another, as the catalog serves it.
 *
 * @public
 */
export type EntityRelation = {
  /** The relation type, e.g. `ownedBy`. */
  type: string;
  /** The ref of the entity the relation points to, `kind:namespace/name`. */
  targetRef: string;
};

/**
 * One status item of an entity, such as a processing error.
 *
 * @public
 */
export type EntityStatusItem = {
  /** What the item is about, e.g. `backstage.io/catalog-processing`. */
  type: string;
  /** How serious the item is. */
  level: 'info' | 'warning' | 'error';
  /** A human-readable description of the item. */
  message: string;
  /** The serialized error behind the item, if any. */
  error?: JsonObject;
};

/**
 * The status of an entity, as the catalog serves it.
 *
 * @public
 */
export type EntityStatus = {
  /** The status items of the entity. */
  items?: EntityStatusItem[];
};

/**
 * An entity of the software catalog, in the Backstage descriptor format.
 *
 * @public
 */
export type Entity = {
  /** The version of the descriptor format, e.g. `backstage.io/v1alpha1`. */
  apiVersion: string;
  /** The kind of the entity, e.g. `Component`. */
  kind: string;
  /** The identity and descriptive fields of the entity. */
  metadata: EntityMeta;
  /** The kind-specific fields of the entity. */
  spec?: JsonObject;
  /** The relations the catalog computed for the entity. */
  relations?: EntityRelation[];
  /** The status the catalog computed for the entity. */
  status?: EntityStatus;
};

/**
 * The three parts that identify an entity, all present.
 *
 * @public
 */
export type CompoundEntityRef = {
  /** The kind of the entity, as written (not lowercased). */
  kind: string;
  /** The namespace of the entity. */
  namespace: string;
  /** The name of the entity. */
  name: string;
};

/**
 * The namespace of an entity whose `metadata.namespace` is not set.
 *
 * @public
 */
export const DEFAULT_NAMESPACE = 'default';

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

/**
 * From an entity to the user or group that owns it.
 *
 * @public
 */
export const RELATION_OWNED_BY = 'ownedBy';

/**
 * From a user or group to an entity it owns; the reverse of
 * {@link RELATION_OWNED_BY}.
 *
 * @public
 */
export const RELATION_OWNER_OF = 'ownerOf';

/**
 * From an entity to the larger entity it belongs to, such as a component to
 * its system.
 *
 * @public
 */
export const RELATION_PART_OF = 'partOf';

/**
 * From an entity to a smaller entity that belongs to it; the reverse of
 * {@link RELATION_PART_OF}.
 *
 * @public
 */
export const RELATION_HAS_PART = 'hasPart';

/**
 * From a component to an API it provides.
 *
 * @public
 */
export const RELATION_PROVIDES_API = 'providesApi';

/**
 * From an API to a component that provides it; the reverse of
 * {@link RELATION_PROVIDES_API}.
 *
 * @public
 */
export const RELATION_API_PROVIDED_BY = 'apiProvidedBy';

/**
 * From a component to an API it consumes.
 *
 * @public
 */
export const RELATION_CONSUMES_API = 'consumesApi';

/**
 * From an API to a component that consumes it; the reverse of
 * {@link RELATION_CONSUMES_API}.
 *
 * @public
 */
export const RELATION_API_CONSUMED_BY = 'apiConsumedBy';

/**
 * From an entity to an entity it needs at run time.
 *
 * @public
 */
export const RELATION_DEPENDS_ON = 'dependsOn';

/**
 * From an entity to an entity that needs it; the reverse of
 * {@link RELATION_DEPENDS_ON}.
 *
 * @public
 */
export const RELATION_DEPENDENCY_OF = 'dependencyOf';

/**
 * From a user to a group they belong to.
 *
 * @public
 */
export const RELATION_MEMBER_OF = 'memberOf';

/**
 * From a group to a user that belongs to it; the reverse of
 * {@link RELATION_MEMBER_OF}.
 *
 * @public
 */
export const RELATION_HAS_MEMBER = 'hasMember';

/**
 * From a group to its parent group.
 *
 * @public
 */
export const RELATION_CHILD_OF = 'childOf';

/**
 * From a group to a child group; the reverse of {@link RELATION_CHILD_OF}.
 *
 * @public
 */
export const RELATION_PARENT_OF = 'parentOf';
