/**
 * The permission system's types and wire formats, shared by plugins that
 * protect their routes, the permissions services of
 * `@plinth/backend-defaults` and a permission backend: permissions,
 * policy decisions, conditions and their criteria, rules, and the bodies
 * of the authorize, metadata and apply-conditions routes.
 *
 * @packageDocumentation
 */
export {
  AuthorizeResult,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  type AllOfCriteria,
  type AnyOfCriteria,
  type AuthorizePermissionRequest,
  type AuthorizePermissionResponse,
  type ConditionalPolicyDecision,
  type DefinitivePolicyDecision,
  type EvaluatePermissionRequest,
  type EvaluatePermissionRequestBatch,
  type EvaluatePermissionResponse,
  type EvaluatePermissionResponseBatch,
  type EvaluatorRequestOptions,
  type IdentifiedPermissionMessage,
  type NotCriteria,
  type PermissionCondition,
  type PermissionCriteria,
  type PermissionEvaluator,
  type PermissionMessageBatch,
  type PermissionRuleParam,
  type PermissionRuleParams,
  type PolicyDecision,
  type QueryPermissionRequest,
  type QueryPermissionResponse,
} from './api';
export {
  createPermission,
  isCreatePermission,
  isDeletePermission,
  isPermission,
  isReadPermission,
  isResourcePermission,
  isUpdatePermission,
  type BasicPermission,
  type Permission,
  type PermissionAttributes,
  type PermissionBase,
  type ResourcePermission,
} from './permission';
export {
  createPermissionResourceRef,
  createPermissionRule,
  type ApplyConditionsRequest,
  type ApplyConditionsRequestEntry,
  type ApplyConditionsResponse,
  type ApplyConditionsResponseEntry,
  type CreatePermissionRuleOptions,
  type MetadataResponse,
  type MetadataResponseSerializedRule,
  type PermissionResourceRef,
  type PermissionRule,
  type PermissionRuleParamsSchema,
  type PermissionRuleset,
} from './rules';
export {
  findPermissionCriteriaProblem,
  findPolicyDecisionProblem,
} from './validation';
export {
  findPermissionRuleParamsProblem,
  getPermissionRuleParamsSchemaKind,
  type PermissionRuleParamsSchemaKind,
} from './ruleParams';
export {
  decideByAccessRestrictions,
  type PermissionAccessRestrictions,
} from './accessRestrictions';
