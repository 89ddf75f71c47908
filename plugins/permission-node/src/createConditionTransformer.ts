import { InputError } from '@plinth/errors';
import {
  findPermissionRuleParamsProblem,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  type PermissionCondition,
  type PermissionCriteria,
  type PermissionRule,
  type PermissionRuleset,
} from '@plinth/plugin-permission-common';

/**
 * Turns the criteria of a conditional decision, made of conditions, into
 * the same criteria made of the plugin's queries, ready to become a
 * database filter.
 *
 * @public
 */
export type ConditionTransformer<TQuery> = (
  conditions: PermissionCriteria<PermissionCondition>,
) => PermissionCriteria<TQuery>;

/**
 * Creates a {@link ConditionTransformer} from a plugin's rules: each
 * condition becomes its rule's `toQuery` of the condition's parameters,
 * with `allOf`, `anyOf` and `not` kept as they are.
 *
 * @example
 * ```ts
 * const transform = createConditionTransformer([isOwner, isDone]);
 * const [decision] = await permissions.authorizeConditional([{ permission }], { credentials });
 * if (decision.result === AuthorizeResult.CONDITIONAL) {
 *   const filter = transform(decision.conditions); // PermissionCriteria<TodoFilter>
 * }
 * ```
 * @throws {@link @plinth/errors#InputError} from the returned function,
 *   when a condition names an unknown rule or gives parameters its rule's
 *   schema refuses.
 * @public
 */
export function createConditionTransformer<TQuery>(
  // `any` lets rules of any resource type that share a query type in.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rules: PermissionRule<any, TQuery, string>[] | PermissionRuleset<any, TQuery>,
): ConditionTransformer<TQuery> {
  const getRule = Array.isArray(rules) ? byNameFrom(rules) : toGetter(rules);
  return conditions => mapCriteria(conditions, getRule);
}

type GetRule<TQuery> = (
  name: string,
) => PermissionRule<unknown, TQuery, string> | undefined;

function mapCriteria<TQuery>(
  criteria: PermissionCriteria<PermissionCondition>,
  getRule: GetRule<TQuery>,
): PermissionCriteria<TQuery> {
  if (isAndCriteria(criteria)) {
    return {
      allOf: criteria.allOf.map(c => mapCriteria(c, getRule)) as [
        PermissionCriteria<TQuery>,
        ...PermissionCriteria<TQuery>[],
      ],
    };
  }
  if (isOrCriteria(criteria)) {
    return {
      anyOf: criteria.anyOf.map(c => mapCriteria(c, getRule)) as [
        PermissionCriteria<TQuery>,
        ...PermissionCriteria<TQuery>[],
      ],
    };
  }
  if (isNotCriteria(criteria)) {
    return { not: mapCriteria(criteria.not, getRule) };
  }
  const rule = getRule(criteria.rule);
  if (!rule) {
    throw new InputError(
      `A condition names permission rule '${criteria.rule}' of resource type '${criteria.resourceType}', which is not among the rules given to createConditionTransformer(); check the policy's conditions, or pass the rule.`,
    );
  }
  const problem = findPermissionRuleParamsProblem(rule, criteria.params);
  if (problem) {
    throw new InputError(
      `The parameters of a condition on permission rule '${rule.name}' are invalid: ${problem}. Check the policy that made the condition.`,
    );
  }
  return rule.toQuery(criteria.params);
}

function byNameFrom<TQuery>(
  rules: PermissionRule<unknown, TQuery, string>[],
): GetRule<TQuery> {
  const byName = new Map(rules.map(rule => [rule.name, rule]));
  return name => byName.get(name);
}

/** A ruleset throws for an unknown name; the transformer words that itself. */
function toGetter<TQuery>(
  ruleset: PermissionRuleset<unknown, TQuery>,
): GetRule<TQuery> {
  return name => {
    try {
      return ruleset.getRuleByName(name);
    } catch {
      return undefined;
    }
  };
}
