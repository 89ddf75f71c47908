import { describeValue } from '@plinth/errors';
import { AuthorizeResult } from './api';

/**
 * Says what is wrong with a value that should be
 * `PermissionCriteria<PermissionCondition>` as it travels in JSON: a
 * condition `{ rule, resourceType, params? }`, or `{ allOf: [...] }`,
 * `{ anyOf: [...] }` (non-empty) or `{ not: ... }` around more criteria.
 *
 * @param at - where the value sits in its body, such as
 *   `items[0].conditions`, for the message.
 * @returns the first problem, or `undefined` when the value is valid.
 * @public
 */
export function findPermissionCriteriaProblem(
  value: unknown,
  at: string,
): string | undefined {
  if (!isPlainObject(value)) {
    return `${at} must be an object, got ${describeValue(value)}`;
  }
  for (const key of ['allOf', 'anyOf'] as const) {
    if (key in value) {
      const children = value[key];
      if (!Array.isArray(children) || children.length === 0) {
        return `${at}.${key} must be a non-empty array, got ${describeArrayOrValue(children)}`;
      }
      for (const [index, child] of children.entries()) {
        const problem = findPermissionCriteriaProblem(
          child,
          `${at}.${key}[${index}]`,
        );
        if (problem) {
          return problem;
        }
      }
      return undefined;
    }
  }
  if ('not' in value) {
    return findPermissionCriteriaProblem(value.not, `${at}.not`);
  }
  if (
    typeof value.rule !== 'string' ||
    typeof value.resourceType !== 'string'
  ) {
    return `${at} must be a condition { rule, resourceType, params? } or have allOf, anyOf or not, got keys ${describeKeys(value)}`;
  }
  if (value.params !== undefined && !isPlainObject(value.params)) {
    return `${at}.params must be an object, got ${describeValue(value.params)}`;
  }
  return undefined;
}

/**
 * Says what is wrong with one decision of the permission backend's
 * answer: `{ result: 'ALLOW' | 'DENY' }`, or when `allowConditional` is
 * set also `{ result: 'CONDITIONAL', pluginId, resourceType, conditions }`.
 *
 * @returns the first problem, or `undefined` when the value is valid.
 * @public
 */
export function findPolicyDecisionProblem(
  value: unknown,
  at: string,
  options: { allowConditional: boolean },
): string | undefined {
  if (!isPlainObject(value)) {
    return `${at} must be an object, got ${describeValue(value)}`;
  }
  const { result } = value;
  if (result === AuthorizeResult.ALLOW || result === AuthorizeResult.DENY) {
    return undefined;
  }
  if (result !== AuthorizeResult.CONDITIONAL || !options.allowConditional) {
    const valid = options.allowConditional
      ? "'ALLOW', 'DENY' or 'CONDITIONAL'"
      : "'ALLOW' or 'DENY'";
    return `${at}.result must be ${valid}, got ${describeValue(result)}`;
  }
  for (const key of ['pluginId', 'resourceType'] as const) {
    if (typeof value[key] !== 'string') {
      return `${at}.${key} must be a string, got ${describeValue(value[key])}`;
    }
  }
  return findPermissionCriteriaProblem(value.conditions, `${at}.conditions`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeKeys(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  return keys.length === 0 ? 'none' : keys.map(k => `'${k}'`).join(', ');
}

/** Like `describeValue`, but tells an empty array apart. */
function describeArrayOrValue(value: unknown): string {
  return Array.isArray(value) && value.length === 0
    ? 'an empty array'
    : describeValue(value);
}
