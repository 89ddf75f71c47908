/**
 * The namespace of an entity whose `metadata.namespace` is not set.
 *
 * @public
 */
export const DEFAULT_NAMESPACE = 'default';
