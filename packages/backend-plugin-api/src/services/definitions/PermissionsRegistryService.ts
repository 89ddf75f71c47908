import type {
  Permission,
  PermissionResourceRef,
  PermissionRule,
  PermissionRuleset,
} from '@plinth/plugin-permission-common';

/** Keeps a type parameter out of inference, so it is taken from elsewhere. */
type NoInfer<T> = T extends infer S ? S : never;

/**
 * A resource type a plugin owns, with its permissions and rules.
 *
 * @public
 */
export type PermissionsRegistryServiceAddResourceTypeOptions<
  TResourceType extends string,
  TResource,
  TQuery,
> = {
  /** Names the resource type; its plugin id must be the registering plugin's. */
  resourceRef: PermissionResourceRef<TResource, TQuery, TResourceType>;
  permissions?: Array<Permission>;
  rules: PermissionRule<
    NoInfer<TResource>,
    NoInfer<TQuery>,
    NoInfer<TResourceType>
  >[];
  /**
   * Loads resources by ref, in the order of the refs, `undefined` for
   * those that do not exist; without it, the plugin cannot apply
   * conditions that the permission backend sends.
   */
  getResources?(
    resourceRefs: string[],
  ): Promise<Array<NoInfer<TResource> | undefined>>;
};

/**
 * Where a plugin declares its permissions, resource types and rules. They
 * are served to the permission backend on the plugin's router, under
 * `/.well-known/backstage/permissions/`. Add everything before the plugin
 * has started.
 *
 * @public
 */
export interface PermissionsRegistryService {
  addPermissions(permissions: Permission[]): void;
  /** Adds rules for a resource type this plugin owns; modules may add some too. */
  // Rules of any resource and query type, as Backstage's contract has it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addPermissionRules(rules: PermissionRule<any, any, string>[]): void;
  /**
   * Adds a resource type this plugin owns, such as `catalog-entity`, with
   * its permissions, rules and loader.
   */
  addResourceType<const TResourceType extends string, TResource, TQuery>(
    options: PermissionsRegistryServiceAddResourceTypeOptions<
      TResourceType,
      TResource,
      TQuery
    >,
  ): void;
  /** The rules registered for a resource type, to apply or translate conditions. */
  getPermissionRuleset<TResourceType extends string, TResource, TQuery>(
    resourceRef: PermissionResourceRef<TResource, TQuery, TResourceType>,
  ): PermissionRuleset<TResource, TQuery, TResourceType>;
}
