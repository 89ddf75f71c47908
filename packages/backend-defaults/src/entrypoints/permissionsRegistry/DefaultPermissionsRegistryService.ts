import type {
  AuthService,
  HttpAuthService,
  HttpRouterService,
  LifecycleService,
  RootConfigService,
  PermissionsRegistryService,
  PermissionsRegistryServiceAddResourceTypeOptions,
} from '@plinth/backend-plugin-api';
import type { RootPermissionsAuthorizerService } from '@plinth/backend-plugin-api/alpha';
import { ConflictError, describeValue, InputError } from '@plinth/errors';
import type {
  DefinitivePolicyDecision,
  MetadataResponse,
  MetadataResponseSerializedRule,
  Permission,
  PermissionResourceRef,
  PermissionRule,
  PermissionRuleset,
} from '@plinth/plugin-permission-common';
import {
  applyConditionsWithRegistry,
  createPermissionIntegrationRouter,
} from './createPermissionIntegrationRouter';
import {
  hasUsableParamsSchema,
  toParamsJsonSchema,
  type RegisteredRule,
} from './ruleParams';

/**
 * Options for {@link DefaultPermissionsRegistryService.create}.
 *
 * @public
 */
export interface DefaultPermissionsRegistryServiceOptions {
  pluginId: string;
  auth: AuthService;
  httpAuth: HttpAuthService;
  /** The plugin's router, which gets the metadata and apply-conditions routes. */
  httpRouter: HttpRouterService;
  /** Registration closes when the plugin has started. */
  lifecycle: LifecycleService;
  /**
   * Read for `backend.http.jsonBodyLimit` and `jsonBodyMaxDepth`, which
   * bound the apply-conditions body.
   * @defaultValue none: a body of at most 1 MiB nested at most 64 levels
   */
  config?: RootConfigService;
  /**
   * The backend's in-process permission wiring, told how this plugin
   * applies conditions, so the permission plugin in the same backend
   * needs no call to the apply-conditions route.
   */
  authorizer?: RootPermissionsAuthorizerService;
}

/** A resource type as the plugin registered it. */
export interface RegisteredResourceType {
  resourceType: string;
  getResources?(resourceRefs: string[]): Promise<unknown[]>;
}

/**
 * A plugin's permissions, resource types and rules, served to the
 * permission backend on the plugin's router:
 * `GET /.well-known/backstage/permissions/metadata` lists them, and
 * `POST /.well-known/backstage/permissions/apply-conditions` applies
 * conditions to resources the plugin loads.
 *
 * @public
 */
export class DefaultPermissionsRegistryService implements PermissionsRegistryService {
  readonly #pluginId: string;
  readonly #permissions = new Map<string, Permission>();
  readonly #resourceTypes = new Map<string, RegisteredResourceType>();
  readonly #rules = new Map<string, Map<string, RegisteredRule>>();
  readonly #serializedRules: MetadataResponseSerializedRule[] = [];
  #started = false;

  /**
   * Adds the routes to the plugin's router.
   *
   * @example
   * ```ts
   * const registry = DefaultPermissionsRegistryService.create({ pluginId: 'todo', auth, httpAuth, httpRouter, lifecycle });
   * registry.addResourceType({ resourceRef: todoResourceRef, rules: [isDone], getResources });
   * ```
   */
  static create(
    options: DefaultPermissionsRegistryServiceOptions,
  ): DefaultPermissionsRegistryService {
    const registry = new DefaultPermissionsRegistryService(options.pluginId);
    options.httpRouter.use(
      createPermissionIntegrationRouter({
        pluginId: options.pluginId,
        auth: options.auth,
        httpAuth: options.httpAuth,
        config: options.config,
        registry,
      }),
    );
    options.lifecycle.addStartupHook(() => {
      registry.#started = true;
    });
    options.authorizer?.addConditionsApplier(options.pluginId, async entries =>
      (
        await applyConditionsWithRegistry(entries, registry, options.pluginId)
      ).map(item => ({
        // One ref per entry, so one result, never an array.
        result: item.result as DefinitivePolicyDecision['result'],
      })),
    );
    return registry;
  }

  private constructor(pluginId: string) {
    this.#pluginId = pluginId;
  }

  /**
   * @throws {@link @plinth/errors#InputError} after the plugin has started.
   */
  addPermissions(permissions: Permission[]): void {
    this.#assertOpen('addPermissions');
    for (const permission of permissions) {
      this.#permissions.set(permission.name, permission);
    }
  }

  /**
   * @throws {@link @plinth/errors#InputError} after the plugin has started,
   *   or when a rule's parameter schema cannot be described as JSON Schema;
   *   {@link @plinth/errors#ConflictError} when a rule of that name exists
   *   for its resource type.
   */
  // The contract's own types: rules of any resource and query type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addPermissionRules(rules: PermissionRule<any, any, string>[]): void {
    this.#assertOpen('addPermissionRules');
    for (const rule of rules as RegisteredRule[]) {
      this.#addRule(rule);
    }
  }

  /**
   * @throws {@link @plinth/errors#InputError} after the plugin has started,
   *   or when the resource ref belongs to another plugin;
   *   {@link @plinth/errors#ConflictError} when the type is registered.
   */
  addResourceType<const TResourceType extends string, TResource, TQuery>(
    options: PermissionsRegistryServiceAddResourceTypeOptions<
      TResourceType,
      TResource,
      TQuery
    >,
  ): void {
    this.#assertOpen('addResourceType');
    const { resourceRef, rules, permissions, getResources } = options;
    this.#assertOwnRef('addResourceType', resourceRef);
    const { resourceType } = resourceRef;
    if (this.#resourceTypes.has(resourceType)) {
      throw new ConflictError(
        `Plugin '${this.#pluginId}' registered the permission resource type '${resourceType}' twice; add it once, and add further rules with addPermissionRules().`,
      );
    }
    this.#resourceTypes.set(resourceType, {
      resourceType,
      getResources: getResources?.bind(options),
    });
    for (const rule of (rules ?? []) as RegisteredRule[]) {
      this.#addRule(rule);
    }
    this.addPermissions(permissions ?? []);
  }

  /**
   * @throws {@link @plinth/errors#InputError} when the resource ref belongs
   *   to another plugin; the ruleset's `getRuleByName` throws an
   *   `InputError` for a name without a rule.
   */
  getPermissionRuleset<TResourceType extends string, TResource, TQuery>(
    resourceRef: PermissionResourceRef<TResource, TQuery, TResourceType>,
  ): PermissionRuleset<TResource, TQuery, TResourceType> {
    this.#assertOwnRef('getPermissionRuleset', resourceRef);
    return {
      getRuleByName: name => {
        const rule = this.findRule(resourceRef.resourceType, name);
        if (!rule) {
          throw new InputError(
            this.describeUnknownRule(resourceRef.resourceType, name),
          );
        }
        return rule as unknown as PermissionRule<
          TResource,
          TQuery,
          TResourceType
        >;
      },
    };
  }

  /** What the metadata route answers. */
  getMetadata(): MetadataResponse {
    return {
      permissions: [...this.#permissions.values()],
      rules: this.#serializedRules,
    };
  }

  /** The registered resource type, if any. */
  findResourceType(resourceType: string): RegisteredResourceType | undefined {
    return this.#resourceTypes.get(resourceType);
  }

  /** The rule of that name for the resource type, if any. */
  findRule(resourceType: string, name: string): RegisteredRule | undefined {
    return this.#rules.get(resourceType)?.get(name);
  }

  /** Names the rule that is missing and the ones there are. */
  describeUnknownRule(resourceType: string, name: string): string {
    const known = [...(this.#rules.get(resourceType)?.keys() ?? [])];
    const list = known.length
      ? `its rules are ${known.map(n => `'${n}'`).join(', ')}`
      : 'it has no rules';
    return `Plugin '${this.#pluginId}' has no permission rule '${name}' for resource type '${resourceType}'; ${list}.`;
  }

  #addRule(rule: RegisteredRule): void {
    if (typeof rule?.name !== 'string' || typeof rule.apply !== 'function') {
      throw new InputError(
        `Plugin '${this.#pluginId}' added ${describeValue(rule)} as a permission rule; create rules with createPermissionRule().`,
      );
    }
    if (!hasUsableParamsSchema(rule)) {
      throw new InputError(
        `Permission rule '${rule.name}' of plugin '${this.#pluginId}' has a parameter schema that cannot be described as JSON Schema; use a zod 4 schema, or another Standard Schema with JSON Schema support.`,
      );
    }
    const byName =
      this.#rules.get(rule.resourceType) ?? new Map<string, RegisteredRule>();
    if (byName.has(rule.name)) {
      throw new ConflictError(
        `Plugin '${this.#pluginId}' added the permission rule '${rule.name}' for resource type '${rule.resourceType}' twice; rule names are unique per resource type.`,
      );
    }
    byName.set(rule.name, rule);
    this.#rules.set(rule.resourceType, byName);
    this.#serializedRules.push({
      name: rule.name,
      description: rule.description,
      resourceType: rule.resourceType,
      paramsSchema: toParamsJsonSchema(rule),
    });
  }

  #assertOpen(method: string): void {
    if (this.#started) {
      throw new InputError(
        `permissionsRegistry.${method}() of plugin '${this.#pluginId}' was called after the plugin started; register permissions, resource types and rules in the plugin's or a module's init.`,
      );
    }
  }

  #assertOwnRef(method: string, ref: PermissionResourceRef): void {
    if (ref?.pluginId !== this.#pluginId) {
      throw new InputError(
        `permissionsRegistry.${method}() of plugin '${this.#pluginId}' got resource type '${ref?.resourceType}', which belongs to plugin '${ref?.pluginId}'; a plugin registers and reads only its own resource types.`,
      );
    }
  }
}
