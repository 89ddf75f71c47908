import { describeValue, InputError } from '@plinth/errors';

/**
 * Traits of a permission that policies can decide on without knowing every
 * permission by name, such as "deny every delete".
 *
 * @public
 */
export type PermissionAttributes = {
  action?: 'create' | 'read' | 'update' | 'delete';
};

/**
 * The fields every kind of {@link Permission} has, plus those of its kind.
 *
 * @public
 */
export type PermissionBase<TType extends string, TFields extends object> = {
  /** Unique across the backend, such as `catalog.entity.read`. */
  name: string;
  attributes: PermissionAttributes;
} & {
  /**
   * Which authorization flows apply: only a `resource` permission is
   * authorized with a `resourceRef` or answered with conditions.
   */
  type: TType;
} & TFields;

/**
 * A permission that is authorized on its own, without a resource.
 *
 * @public
 */
export type BasicPermission = PermissionBase<'basic', Record<never, never>>;

/**
 * A permission that is authorized for one resource of a type, such as
 * reading one catalog entity; a policy may answer it with conditions on the
 * resource.
 *
 * @public
 */
export type ResourcePermission<TResourceType extends string = string> =
  PermissionBase<'resource', { resourceType: TResourceType }>;

/**
 * An action a plugin protects, paired with a caller's identity when
 * authorizing.
 *
 * @public
 */
export type Permission = BasicPermission | ResourcePermission;

/**
 * Creates a {@link ResourcePermission} when `resourceType` is given, else a
 * {@link BasicPermission}.
 *
 * @example
 * ```ts
 * const entityRead = createPermission({
 *   name: 'catalog.entity.read',
 *   attributes: { action: 'read' },
 *   resourceType: 'catalog-entity',
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when the name is empty or the
 *   action is not one of the four actions.
 * @public
 */
export function createPermission<TResourceType extends string>(input: {
  name: string;
  attributes: PermissionAttributes;
  resourceType: TResourceType;
}): ResourcePermission<TResourceType>;
/** @public */
export function createPermission(input: {
  name: string;
  attributes: PermissionAttributes;
}): BasicPermission;
export function createPermission(input: {
  name: string;
  attributes: PermissionAttributes;
  resourceType?: string;
}): Permission {
  const { name, attributes, resourceType } = input;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InputError(
      `createPermission() needs a non-empty name, got ${describeValue(name)}; use a dotted name such as 'catalog.entity.read'.`,
    );
  }
  const action = attributes?.action;
  if (action !== undefined && !actions.includes(action)) {
    throw new InputError(
      `createPermission() got the action attribute ${describeValue(action)} for permission '${name}'; use 'create', 'read', 'update' or 'delete', or leave it out.`,
    );
  }
  if (resourceType) {
    return { type: 'resource', name, attributes, resourceType };
  }
  return { type: 'basic', name, attributes };
}

const actions: ReadonlyArray<PermissionAttributes['action']> = [
  'create',
  'read',
  'update',
  'delete',
];

/**
 * Whether two permissions are the same one; permissions are told apart by
 * name.
 *
 * @public
 */
export function isPermission<T extends Permission>(
  permission: Permission,
  comparedPermission: T,
): permission is T {
  return permission.name === comparedPermission.name;
}

/**
 * Whether a permission is a {@link ResourcePermission}, and of
 * `resourceType` when that is given.
 *
 * @public
 */
export function isResourcePermission<T extends string = string>(
  permission: Permission,
  resourceType?: T,
): permission is ResourcePermission<T> {
  if (!('resourceType' in permission)) {
    return false;
  }
  return !resourceType || permission.resourceType === resourceType;
}

/**
 * Whether a permission's action is `create`.
 *
 * @public
 */
export function isCreatePermission(permission: Permission): boolean {
  return permission.attributes.action === 'create';
}

/**
 * Whether a permission's action is `read`.
 *
 * @public
 */
export function isReadPermission(permission: Permission): boolean {
  return permission.attributes.action === 'read';
}

/**
 * Whether a permission's action is `update`.
 *
 * @public
 */
export function isUpdatePermission(permission: Permission): boolean {
  return permission.attributes.action === 'update';
}

/**
 * Whether a permission's action is `delete`.
 *
 * @public
 */
export function isDeletePermission(permission: Permission): boolean {
  return permission.attributes.action === 'delete';
}
