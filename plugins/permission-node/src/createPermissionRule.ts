import { describeValue, InputError } from '@plinth/errors';
import {
  createPermissionRule as createRuleForResourceRef,
  type CreatePermissionRuleOptions,
  type PermissionResourceRef,
  type PermissionRule,
  type PermissionRuleParams,
} from '@plinth/plugin-permission-common';

/**
 * Creates a {@link @plinth/plugin-permission-common#PermissionRule}, in
 * either of Backstage's forms: a rule naming its `resourceType` directly
 * (as rules written for `@backstage/plugin-permission-node` do), or one
 * naming a `resourceRef` (which `@plinth/plugin-permission-common`'s
 * `createPermissionRule` takes).
 *
 * @example
 * ```ts
 * const isDone = createPermissionRule({
 *   name: 'IS_DONE',
 *   description: 'Allow todo items that are done',
 *   resourceType: 'todo-item',
 *   apply: (item: Todo) => item.done,
 *   toQuery: () => ({ done: true }),
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when the name or resource type
 *   is empty, or `apply` or `toQuery` is not a function.
 * @public
 */
export function createPermissionRule<
  TResource,
  TQuery,
  TResourceType extends string,
  TParams extends PermissionRuleParams = undefined,
>(
  rule: PermissionRule<TResource, TQuery, TResourceType, TParams>,
): PermissionRule<TResource, TQuery, TResourceType, TParams>;
/** @public */
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
>;
export function createPermissionRule(
  options:
    | PermissionRule<unknown, unknown, string, PermissionRuleParams>
    | CreatePermissionRuleOptions<PermissionResourceRef, PermissionRuleParams>,
): PermissionRule<unknown, unknown, string, PermissionRuleParams> {
  if ('resourceRef' in options) {
    return createRuleForResourceRef(options);
  }
  const { resourceType } = options;
  if (typeof resourceType !== 'string' || resourceType === '') {
    throw new InputError(
      `createPermissionRule() needs a non-empty resourceType or a resourceRef for rule '${options.name}', got ${describeValue(resourceType)}.`,
    );
  }
  // The resource-ref form checks the name and functions; reuse it rather
  // than checking twice.
  const checked = createRuleForResourceRef({
    ...options,
    resourceRef: { pluginId: '', resourceType } as PermissionResourceRef,
  });
  return { ...checked, resourceType };
}

/**
 * Creates a {@link createPermissionRule} bound to one resource and query
 * type, so a plugin's rules need not repeat them.
 *
 * @example
 * ```ts
 * const createTodoRule = makeCreatePermissionRule<Todo, TodoFilter, 'todo-item'>();
 * const isDone = createTodoRule({ name: 'IS_DONE', description: '...', resourceType: 'todo-item', apply: i => i.done, toQuery: () => ({ done: true }) });
 * ```
 * @public
 */
export function makeCreatePermissionRule<
  TResource,
  TQuery,
  TResourceType extends string,
>(): <TParams extends PermissionRuleParams = undefined>(
  rule: PermissionRule<TResource, TQuery, TResourceType, TParams>,
) => PermissionRule<TResource, TQuery, TResourceType, TParams> {
  return rule => createPermissionRule(rule);
}
