/**
 * What permission policies and plugins that protect resources import, with
 * the names of Backstage's `@backstage/plugin-permission-node`: the
 * policy contract, condition factories and exports, the transformer that
 * turns conditions into a plugin's queries, and rule creators. The
 * extension point that installs a policy is in `/alpha`.
 *
 * @packageDocumentation
 */
export type { PermissionPolicy, PolicyQuery, PolicyQueryUser } from './policy';
export {
  createConditionExports,
  createConditionFactory,
  type Condition,
  type Conditions,
  type CreateConditionExportsOptions,
} from './conditions';
export {
  createConditionTransformer,
  type ConditionTransformer,
} from './createConditionTransformer';
export {
  createPermissionRule,
  makeCreatePermissionRule,
} from './createPermissionRule';
export {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  type PermissionRule,
  type PermissionRuleset,
} from '@plinth/plugin-permission-common';
