import type { Config } from '@plinth/backend-plugin-api';
import { InputError, quoteList } from '@plinth/errors';

/**
 * What the owners policy decides with; {@link readOwnersPolicyConfig}
 * reads it from `permission.ownersPolicy`.
 *
 * @public
 */
export interface OwnersPolicyOptions {
  /**
   * Entity refs of the groups (or users) whose members may do everything,
   * such as `group:default/admins`; compared case-insensitively with the
   * ownership refs of the caller's token.
   * @defaultValue `[]`
   */
  adminGroups?: readonly string[];
  /**
   * Who reads catalog entities: every signed-in user, or only the owners
   * of each entity (plus every entity of the kinds in `visibleKinds`).
   * @defaultValue `'everyone'`
   */
  read?: 'everyone' | 'owners';
  /**
   * The kinds every signed-in user reads when `read` is `'owners'`,
   * compared case-insensitively; users and groups have no owner, and
   * ownership is shown by pointing at them.
   * @defaultValue `['User', 'Group']`
   */
  visibleKinds?: readonly string[];
  /**
   * Who registers entities and locations (`catalog.entity.create`,
   * `catalog.location.create`, `catalog.location.analyze`).
   * @defaultValue `'everyone'`
   */
  create?: 'everyone' | 'admins';
  /**
   * Permission names every signed-in user is allowed, whatever the rest
   * of the policy says, such as `scaffolder.task.create`.
   * @defaultValue `[]`
   */
  allow?: readonly string[];
}

const prefix = 'permission.ownersPolicy';
/** A full entity ref, as the ownership refs of user tokens always are. */
const fullRefPattern = /^[^:/\s]+:[^:/\s]+\/[^:/\s]+$/;

/**
 * Reads `permission.ownersPolicy`; every key is optional.
 *
 * @throws `InputError` naming the key when a value has the wrong shape (a
 *   wrong type is reported by the config service itself).
 * @public
 */
export function readOwnersPolicyConfig(config: Config): OwnersPolicyOptions {
  const adminGroups =
    config.getOptionalStringArray(`${prefix}.adminGroups`) ?? [];
  adminGroups.forEach((ref, index) => {
    if (!fullRefPattern.test(ref)) {
      throw new InputError(
        `Invalid config at '${prefix}.adminGroups[${index}]': '${ref}' is not a full entity ref. Ownership refs in user tokens always name kind, namespace and name, so a shorter ref never matches; write it as 'group:default/${ref.split(/[:/]/).pop()}'.`,
      );
    }
  });
  return {
    adminGroups,
    read: readChoice('read', ['everyone', 'owners'], 'everyone'),
    visibleKinds: config.getOptionalStringArray(`${prefix}.visibleKinds`) ?? [
      'User',
      'Group',
    ],
    create: readChoice('create', ['everyone', 'admins'], 'everyone'),
    allow: config.getOptionalStringArray(`${prefix}.allow`) ?? [],
  };

  function readChoice<const T extends string>(
    key: string,
    choices: readonly T[],
    fallback: T,
  ): T {
    const value = config.getOptionalString(`${prefix}.${key}`) ?? fallback;
    if (!choices.includes(value as T)) {
      throw new InputError(
        `Invalid config at '${prefix}.${key}': expected ${quoteList(choices, 'or')}, got '${value}'. Set one of them, or remove the key for '${fallback}'.`,
      );
    }
    return value as T;
  }
}
