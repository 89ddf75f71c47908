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
