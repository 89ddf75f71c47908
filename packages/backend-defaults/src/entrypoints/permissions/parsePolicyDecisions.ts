import { describeValue } from '@plinth/errors';
import {
  findPolicyDecisionProblem,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';

/**
 * Reads the permission backend's answer, `{ items: [{ id, ...decision }] }`,
 * and returns the decisions in the order of `ids`: exactly one item per
 * request id.
 *
 * @returns the decisions, or a description of the first problem.
 */
export function parsePolicyDecisions(
  body: unknown,
  ids: readonly string[],
  options: { allowConditional: boolean },
): PolicyDecision[] | string {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) {
    return `expected { items: [...] }, got ${describeValue(body)}`;
  }
  const byId = new Map<string, PolicyDecision>();
  for (const [index, item] of items.entries()) {
    const problem = findPolicyDecisionProblem(item, `items[${index}]`, options);
    if (problem) {
      return problem;
    }
    const { id, ...decision } = item as { id?: unknown };
    if (typeof id !== 'string' || !ids.includes(id) || byId.has(id)) {
      return `items[${index}].id ${describeValue(id)} does not match a request, or answers one twice`;
    }
    byId.set(id, decision as PolicyDecision);
  }
  if (byId.size !== ids.length) {
    return `${ids.length - byId.size} of ${ids.length} requests got no answer`;
  }
  return ids.map(id => byId.get(id) as PolicyDecision);
}
