import {
  findPermissionCriteriaProblem,
  findPolicyDecisionProblem,
} from './validation';

const condition = { rule: 'IS_DONE', resourceType: 'todo-item', params: {} };

describe('findPermissionCriteriaProblem', () => {
  it('accepts conditions nested in allOf, anyOf and not', () => {
    expect(
      findPermissionCriteriaProblem(
        { allOf: [condition, { anyOf: [{ not: condition }, condition] }] },
        'conditions',
      ),
    ).toBeUndefined();
  });

  it('names where nested criteria go wrong', () => {
    expect(
      findPermissionCriteriaProblem(
        { anyOf: [condition, { not: { rule: 'IS_DONE' } }] },
        'conditions',
      ),
    ).toBe(
      "conditions.anyOf[1].not must be a condition { rule, resourceType, params? } or have allOf, anyOf or not, got keys 'rule'",
    );
    expect(findPermissionCriteriaProblem({ anyOf: [] }, 'c')).toBe(
      'c.anyOf must be a non-empty array, got an empty array',
    );
    expect(
      findPermissionCriteriaProblem({ ...condition, params: [1] }, 'c'),
    ).toBe('c.params must be an object, got an array');
  });
});

describe('findPolicyDecisionProblem', () => {
  it('accepts definitive decisions, and conditional ones when allowed', () => {
    const conditional = {
      result: 'CONDITIONAL',
      pluginId: 'todo',
      resourceType: 'todo-item',
      conditions: condition,
    };
    expect(
      findPolicyDecisionProblem({ result: 'DENY' }, 'item', {
        allowConditional: false,
      }),
    ).toBeUndefined();
    expect(
      findPolicyDecisionProblem(conditional, 'item', {
        allowConditional: true,
      }),
    ).toBeUndefined();
    expect(
      findPolicyDecisionProblem(conditional, 'item', {
        allowConditional: false,
      }),
    ).toBe(
      "item.result must be 'ALLOW' or 'DENY', got the string 'CONDITIONAL'",
    );
  });

  it('requires the plugin and resource type of a conditional decision', () => {
    expect(
      findPolicyDecisionProblem(
        {
          result: 'CONDITIONAL',
          resourceType: 'todo-item',
          conditions: condition,
        },
        'item',
        { allowConditional: true },
      ),
    ).toBe('item.pluginId must be a string, got undefined');
  });
});
