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
