import { describeValue, InputError } from '@plinth/errors';
import {
  AuthorizeResult,
  type ConditionalPolicyDecision,
  type PermissionCondition,
  type PermissionCriteria,
  type PermissionResourceRef,
  type PermissionRule,
  type PermissionRuleParams,
  type ResourcePermission,
} from '@plinth/plugin-permission-common';

/**
 * The condition factory of one rule: called with the rule's parameters
 * (with none, for a rule that takes none).
 *
 * @public
 */
export type Condition<TRule> =
  TRule extends PermissionRule<
    // `any` matches rules of every resource and query type.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    any,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    any,
    infer TResourceType,
    infer TParams
  >
    ? undefined extends TParams
      ? () => PermissionCondition<TResourceType, TParams>
      : (params: TParams) => PermissionCondition<TResourceType, TParams>
    : never;

/**
 * One condition factory per rule, under the rule's key.
 *
 * @public
 */
export type Conditions<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  TRules extends Record<string, PermissionRule<any, any, any>>,
> = {
  [Name in keyof TRules]: Condition<TRules[Name]>;
};

/**
 * Creates the function that turns parameters into a condition naming a
 * rule, for policies to return in conditional decisions.
 *
 * @example
 * ```ts
 * const isOwner = createConditionFactory(isOwnerRule);
 * const condition = isOwner({ owners: ['user:default/jane'] });
 * // { rule: 'IS_OWNER', resourceType: 'todo-item', params: { owners: [...] } }
 * ```
 * @public
 */
export function createConditionFactory<
  TResourceType extends string,
  TParams extends PermissionRuleParams = PermissionRuleParams,
>(
  rule: PermissionRule<unknown, unknown, TResourceType, TParams>,
): (params: TParams) => PermissionCondition<TResourceType, TParams> {
  return (params: TParams) => ({
    rule: rule.name,
    resourceType: rule.resourceType,
    // Backstage leaves `params` out for a rule without parameters, and
    // the JSON on the wire is the same either way.
    ...(params === undefined ? {} : { params }),
  });
}

/**
 * Options for {@link createConditionExports}: the resource type, by its
 * owner and name or by its resource ref, and its rules by key.
 *
 * @public
 */
export type CreateConditionExportsOptions<
  TResourceType extends string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  TRules extends Record<string, PermissionRule<any, any, TResourceType>>,
> = (
  | { pluginId: string; resourceType: TResourceType }
  | {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      resourceRef: PermissionResourceRef<any, any, TResourceType>;
    }
) & { rules: TRules };

/**
 * Creates what a plugin exports for policy authors: a condition factory
 * per rule, and `createConditionalDecision`, which wraps criteria into a
 * CONDITIONAL decision naming the plugin and resource type.
 *
 * @example
 * ```ts
 * const { conditions, createConditionalDecision } = createConditionExports({
 *   pluginId: 'todo',
 *   resourceType: 'todo-item',
 *   rules: { isOwner },
 * });
 * return createConditionalDecision(todoReadPermission, {
 *   anyOf: [conditions.isOwner({ owners: user.info.ownershipEntityRefs })],
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when the plugin id or resource
 *   type is missing, or a rule is of another resource type.
 * @public
 */
export function createConditionExports<
  TResourceType extends string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  TRules extends Record<string, PermissionRule<any, any, TResourceType>>,
>(
  options: CreateConditionExportsOptions<TResourceType, TRules>,
): {
  conditions: Conditions<TRules>;
  createConditionalDecision: (
    permission: ResourcePermission<TResourceType>,
    conditions: PermissionCriteria<PermissionCondition<TResourceType>>,
  ) => ConditionalPolicyDecision;
} {
  const { pluginId, resourceType } =
    'resourceRef' in options ? options.resourceRef : options;
  for (const [key, value] of [
    ['pluginId', pluginId],
    ['resourceType', resourceType],
  ] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new InputError(
        `createConditionExports() needs a non-empty ${key}, got ${describeValue(value)}; pass { pluginId, resourceType, rules } or { resourceRef, rules }.`,
      );
    }
  }
  const conditions: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(options.rules)) {
    if (rule.resourceType !== resourceType) {
      throw new InputError(
        `createConditionExports() for resource type '${resourceType}' got rule '${rule.name}' (key '${key}') of resource type '${rule.resourceType}'; pass only rules of '${resourceType}'.`,
      );
    }
    conditions[key] = createConditionFactory(rule);
  }
  return {
    conditions: conditions as Conditions<TRules>,
    createConditionalDecision: (_permission, criteria) => ({
      result: AuthorizeResult.CONDITIONAL,
      pluginId,
      resourceType,
      conditions: criteria,
    }),
  };
}
