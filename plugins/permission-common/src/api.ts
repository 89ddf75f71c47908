import type { JsonPrimitive } from '@plinth/errors';
import type { Permission, ResourcePermission } from './permission';

/**
 * The answers a policy gives. Values are the strings sent on the wire.
 *
 * @public
 */
export const AuthorizeResult = {
  /** The request is denied. */
  DENY: 'DENY',
  /** The request is allowed. */
  ALLOW: 'ALLOW',
  /** The request is allowed for the resources that meet the conditions. */
  CONDITIONAL: 'CONDITIONAL',
} as const;

/**
 * One of the {@link AuthorizeResult} strings.
 *
 * @public
 */
export type AuthorizeResult =
  (typeof AuthorizeResult)[keyof typeof AuthorizeResult];

/**
 * The type of each {@link AuthorizeResult} value, such as
 * `AuthorizeResult.ALLOW`.
 *
 * @public
 */
// A namespace beside the const lets `AuthorizeResult.ALLOW` name a type
// too, as Backstage's does; there is no other way to get that in TS.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace AuthorizeResult {
  type ALLOW = typeof AuthorizeResult.ALLOW;
  type DENY = typeof AuthorizeResult.DENY;
  type CONDITIONAL = typeof AuthorizeResult.CONDITIONAL;
}

/**
 * A policy's unconditional answer.
 *
 * @public
 */
export type DefinitivePolicyDecision = {
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
};

/**
 * A policy's answer that allows the request for resources that meet
 * `conditions`, which the plugin owning `resourceType` evaluates.
 *
 * @public
 */
export type ConditionalPolicyDecision = {
  result: AuthorizeResult.CONDITIONAL;
  /** The plugin that owns the resource type and knows the rules. */
  pluginId: string;
  resourceType: string;
  conditions: PermissionCriteria<PermissionCondition>;
};

/**
 * Any answer of a policy.
 *
 * @public
 */
export type PolicyDecision =
  DefinitivePolicyDecision | ConditionalPolicyDecision;

/**
 * One value a permission rule takes.
 *
 * @public
 */
export type PermissionRuleParam = undefined | JsonPrimitive | JsonPrimitive[];

/**
 * The parameters of a permission rule: none, or an object of
 * {@link PermissionRuleParam}s.
 *
 * @public
 */
export type PermissionRuleParams =
  undefined | Record<string, PermissionRuleParam>;

/**
 * A reference to a rule of the plugin that owns `resourceType`, with the
 * parameters to apply it with, such as `IS_ENTITY_OWNER` with the user's
 * ownership refs.
 *
 * @public
 */
export type PermissionCondition<
  TResourceType extends string = string,
  TParams extends PermissionRuleParams = PermissionRuleParams,
> = {
  resourceType: TResourceType;
  rule: string;
  params?: TParams;
};

/** An array with at least one element. */
type NonEmptyArray<T> = [T, ...T[]];

/**
 * Met when every criterion is met.
 *
 * @public
 */
export type AllOfCriteria<TQuery> = {
  allOf: NonEmptyArray<PermissionCriteria<TQuery>>;
};

/**
 * Met when at least one criterion is met.
 *
 * @public
 */
export type AnyOfCriteria<TQuery> = {
  anyOf: NonEmptyArray<PermissionCriteria<TQuery>>;
};

/**
 * Met when the criterion is not met.
 *
 * @public
 */
export type NotCriteria<TQuery> = {
  not: PermissionCriteria<TQuery>;
};

/**
 * Conditions (or the queries rules translate them to) combined with
 * `allOf`, `anyOf` and `not` to any depth.
 *
 * @public
 */
export type PermissionCriteria<TQuery> =
  AllOfCriteria<TQuery> | AnyOfCriteria<TQuery> | NotCriteria<TQuery> | TQuery;

/**
 * Whether criteria are an {@link AllOfCriteria}.
 *
 * @public
 */
export function isAndCriteria<T>(
  criteria: PermissionCriteria<T>,
): criteria is AllOfCriteria<T> {
  return Object.prototype.hasOwnProperty.call(criteria, 'allOf');
}

/**
 * Whether criteria are an {@link AnyOfCriteria}.
 *
 * @public
 */
export function isOrCriteria<T>(
  criteria: PermissionCriteria<T>,
): criteria is AnyOfCriteria<T> {
  return Object.prototype.hasOwnProperty.call(criteria, 'anyOf');
}

/**
 * Whether criteria are a {@link NotCriteria}.
 *
 * @public
 */
export function isNotCriteria<T>(
  criteria: PermissionCriteria<T>,
): criteria is NotCriteria<T> {
  return Object.prototype.hasOwnProperty.call(criteria, 'not');
}

/**
 * A message with the id that matches a batched answer to its request.
 *
 * @public
 */
export type IdentifiedPermissionMessage<T> = T & { id: string };

/**
 * The body of a batch: `{ items: [...] }`.
 *
 * @public
 */
export type PermissionMessageBatch<T> = {
  items: IdentifiedPermissionMessage<T>[];
};

/**
 * One item the permission backend evaluates: a permission, and for a
 * resource permission authorized definitively, the resource.
 *
 * @public
 */
export type EvaluatePermissionRequest = {
  permission: Permission;
  resourceRef?: string;
};

/**
 * The body of `POST /api/permission/authorize`:
 * `{ items: [{ id, permission, resourceRef? }] }`.
 *
 * @public
 */
export type EvaluatePermissionRequestBatch =
  PermissionMessageBatch<EvaluatePermissionRequest>;

/**
 * One item of the permission backend's answer: a {@link PolicyDecision}.
 *
 * @public
 */
export type EvaluatePermissionResponse = PolicyDecision;

/**
 * The answer of `POST /api/permission/authorize`:
 * `{ items: [{ id, result, pluginId?, resourceType?, conditions? }] }`, one
 * item per request item, matched by `id`.
 *
 * @public
 */
export type EvaluatePermissionResponseBatch =
  PermissionMessageBatch<EvaluatePermissionResponse>;

/**
 * A request for a definitive answer; a resource permission needs the
 * resource's ref.
 *
 * @public
 */
export type AuthorizePermissionRequest =
  | { permission: Exclude<Permission, ResourcePermission>; resourceRef?: never }
  | { permission: ResourcePermission; resourceRef: string };

/**
 * The answer to an {@link AuthorizePermissionRequest}: ALLOW or DENY.
 *
 * @public
 */
export type AuthorizePermissionResponse = DefinitivePolicyDecision;

/**
 * A request for the conditions under which a resource permission is
 * allowed, to filter many resources at once (in a database query, say).
 *
 * @public
 */
export type QueryPermissionRequest = {
  permission: ResourcePermission;
  resourceRef?: never;
};

/**
 * The answer to a {@link QueryPermissionRequest}: ALLOW, DENY or
 * CONDITIONAL with conditions.
 *
 * @public
 */
export type QueryPermissionResponse = PolicyDecision;

/**
 * Options of {@link PermissionEvaluator} calls; implementations extend it
 * (the permissions service adds the caller's credentials).
 *
 * @public
 */
// Empty on purpose: it is the extension point of every evaluator's options.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EvaluatorRequestOptions {}

/**
 * Answers permission requests, in the order they were given.
 *
 * @public
 */
export interface PermissionEvaluator {
  /** Definitive answers: ALLOW or DENY for each request. */
  authorize(
    requests: AuthorizePermissionRequest[],
    options?: EvaluatorRequestOptions,
  ): Promise<AuthorizePermissionResponse[]>;
  /** Definitive or conditional answers for resource permissions. */
  authorizeConditional(
    requests: QueryPermissionRequest[],
    options?: EvaluatorRequestOptions,
  ): Promise<QueryPermissionResponse[]>;
}
