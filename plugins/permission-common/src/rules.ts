import type {
  StandardJSONSchemaV1,
  StandardSchemaV1,
} from '@standard-schema/spec';
import { describeValue, InputError } from '@plinth/errors';
import type {
  AuthorizeResult,
  DefinitivePolicyDecision,
  IdentifiedPermissionMessage,
  PermissionCondition,
  PermissionCriteria,
  PermissionRuleParams,
} from './api';
import type { Permission } from './permission';

/** Keeps a type parameter out of inference, so it is taken from elsewhere. */
type NoInfer<T> = T extends infer S ? S : never;

/**
 * A schema for a rule's parameters: a Standard Schema that validates
 * synchronously and converts to JSON Schema, as zod 4 schemas do.
 *
 * @public
 */
export type PermissionRuleParamsSchema<TParams> = StandardSchemaV1<TParams> &
  StandardJSONSchemaV1<TParams>;

/**
 * A named check on resources of one type, taking parameters: `apply`
 * checks one loaded resource, `toQuery` turns the check into a filter for
 * loading many. Both must agree.
 *
 * @remarks
 * Rules written for Backstage may carry a zod 3 schema as `paramsSchema`
 * instead; the permissions registry accepts those too.
 *
 * @public
 */
export type PermissionRule<
  TResource,
  TQuery,
  TResourceType extends string,
  TParams extends PermissionRuleParams = PermissionRuleParams,
> = {
  /** Unique per resource type, such as `IS_ENTITY_OWNER`. */
  name: string;
  description: string;
  resourceType: TResourceType;
  /** The parameters' schema; a rule without one takes none. */
  paramsSchema?: PermissionRuleParamsSchema<TParams>;
  apply(resource: TResource, params: NoInfer<TParams>): boolean;
  toQuery(params: NoInfer<TParams>): PermissionCriteria<TQuery>;
};

/**
 * The rules registered for one resource type, by name.
 *
 * @public
 */
export type PermissionRuleset<
  TResource = unknown,
  TQuery = unknown,
  TResourceType extends string = string,
> = {
  /** The rule of that name; throws when there is none. */
  getRuleByName(name: string): PermissionRule<TResource, TQuery, TResourceType>;
};

/**
 * Names a resource type and the plugin that owns it, and carries the types
 * of its resources and queries for rules written against it.
 *
 * @public
 */
export type PermissionResourceRef<
  TResource = unknown,
  TQuery = unknown,
  TResourceType extends string = string,
  TPluginId extends string = string,
> = {
  readonly $$type: '@backstage/PermissionResourceRef';
  readonly pluginId: TPluginId;
  readonly resourceType: TResourceType;
  /** Type carrier only; reading it at run time throws. */
  readonly TQuery: TQuery;
  /** Type carrier only; reading it at run time throws. */
  readonly TResource: TResource;
};

/**
 * Creates a {@link PermissionResourceRef}: give the resource and query
 * types first, then the owner and type.
 *
 * @example
 * ```ts
 * const todoResourceRef = createPermissionResourceRef<Todo, TodoFilter>().with({
 *   pluginId: 'todo',
 *   resourceType: 'todo-item',
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when `pluginId` or
 *   `resourceType` is not a non-empty string.
 * @public
 */
export function createPermissionResourceRef<TResource, TQuery>(): {
  with<TPluginId extends string, TResourceType extends string>(options: {
    pluginId: TPluginId;
    resourceType: TResourceType;
  }): PermissionResourceRef<TResource, TQuery, TResourceType, TPluginId>;
} {
  return {
    with<TPluginId extends string, TResourceType extends string>(options: {
      pluginId: TPluginId;
      resourceType: TResourceType;
    }) {
      for (const key of ['pluginId', 'resourceType'] as const) {
        const value = options?.[key];
        if (typeof value !== 'string' || value === '') {
          throw new InputError(
            `createPermissionResourceRef().with() needs a non-empty ${key} string, got ${describeValue(value)}.`,
          );
        }
      }
      const ref = {
        $$type: '@backstage/PermissionResourceRef' as const,
        pluginId: options.pluginId,
        resourceType: options.resourceType,
      };
      defineTypeCarriers(ref);
      return ref as PermissionResourceRef<
        TResource,
        TQuery,
        TResourceType,
        TPluginId
      >;
    },
  };
}

/** Makes reading a type carrier field fail with a message that says so. */
function defineTypeCarriers(value: object): void {
  for (const key of ['TQuery', 'TResource']) {
    Object.defineProperty(value, key, {
      enumerable: false,
      get() {
        throw new Error(
          `'${key}' of a permission resource ref only carries a type; do not read it.`,
        );
      },
    });
  }
}

/**
 * Options for {@link createPermissionRule}.
 *
 * @public
 */
export type CreatePermissionRuleOptions<
  TRef extends PermissionResourceRef,
  TParams extends PermissionRuleParams,
> = {
  name: string;
  description: string;
  /** The resource type the rule checks, and its owning plugin. */
  resourceRef: TRef;
  /** The parameters' schema; leave it out for a rule without parameters. */
  paramsSchema?: PermissionRuleParamsSchema<TParams>;
  apply(resource: TRef['TResource'], params: NoInfer<TParams>): boolean;
  toQuery(params: NoInfer<TParams>): PermissionCriteria<TRef['TQuery']>;
};

/**
 * Creates a {@link PermissionRule} for the resource type of a
 * {@link PermissionResourceRef}.
 *
 * @example
 * ```ts
 * const isDone = createPermissionRule({
 *   name: 'IS_DONE',
 *   description: 'Allow todo items that are done',
 *   resourceRef: todoResourceRef,
 *   apply: item => item.done,
 *   toQuery: () => ({ done: true }),
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when the name is empty, or
 *   `apply` or `toQuery` is not a function.
 * @public
 */
export function createPermissionRule<
  TRef extends PermissionResourceRef,
  TParams extends PermissionRuleParams = undefined,
>(
  options: CreatePermissionRuleOptions<TRef, TParams>,
): PermissionRule<
  TRef['TResource'],
  TRef['TQuery'],
  TRef['resourceType'],
  TParams
> {
  const { name, description, resourceRef, paramsSchema, apply, toQuery } =
    options;
  if (typeof name !== 'string' || name === '') {
    throw new InputError(
      `createPermissionRule() needs a non-empty name, got ${describeValue(name)}.`,
    );
  }
  for (const [key, fn] of [
    ['apply', apply],
    ['toQuery', toQuery],
  ] as const) {
    if (typeof fn !== 'function') {
      throw new InputError(
        `createPermissionRule() got ${describeValue(fn)} as '${key}' of rule '${name}'; pass a function.`,
      );
    }
  }
  return {
    name,
    description,
    resourceType: resourceRef.resourceType,
    ...(paramsSchema ? { paramsSchema } : {}),
    apply,
    toQuery,
  };
}

/**
 * A rule as the metadata route lists it, with its parameters' JSON Schema
 * (draft-07).
 *
 * @public
 */
export type MetadataResponseSerializedRule = {
  name: string;
  description: string;
  resourceType: string;
  paramsSchema?: Record<string, unknown>;
};

/**
 * The answer of `GET /.well-known/backstage/permissions/metadata` on a
 * plugin's router: the permissions and rules it registered.
 *
 * @public
 */
export type MetadataResponse = {
  permissions?: Permission[];
  rules: MetadataResponseSerializedRule[];
};

/**
 * One item of `POST /.well-known/backstage/permissions/apply-conditions`:
 * the conditions to check on one resource, or on several given as an
 * array.
 *
 * @public
 */
export type ApplyConditionsRequestEntry = IdentifiedPermissionMessage<{
  resourceRef: string | string[];
  resourceType: string;
  conditions: PermissionCriteria<PermissionCondition>;
}>;

/**
 * The body of `POST /.well-known/backstage/permissions/apply-conditions`.
 *
 * @public
 */
export type ApplyConditionsRequest = {
  items: ApplyConditionsRequestEntry[];
};

/**
 * The outcome for one item: ALLOW or DENY, or one per ref when the item
 * gave an array of refs.
 *
 * @public
 */
export type ApplyConditionsResponseEntry = IdentifiedPermissionMessage<
  | DefinitivePolicyDecision
  | { result: Array<AuthorizeResult.ALLOW | AuthorizeResult.DENY> }
>;

/**
 * The answer of `POST /.well-known/backstage/permissions/apply-conditions`,
 * one item per request item, in the same order.
 *
 * @public
 */
export type ApplyConditionsResponse = {
  items: ApplyConditionsResponseEntry[];
};
