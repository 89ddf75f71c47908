import { createPermissionRule } from './createPermissionRule';
import { createConditionTransformer } from './createConditionTransformer';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';

type TodoFilter = { owners?: string[]; done?: boolean; tag?: string };

const isOwner = createPermissionRule({
  name: 'IS_OWNER',
  description: 'Allow items owned by one of the given refs',
  resourceType: 'todo-item',
  paramsSchema: z.object({ owners: z.array(z.string()) }),
  apply: (item: { owner: string }, { owners }) => owners.includes(item.owner),
  toQuery: ({ owners }): TodoFilter => ({ owners }),
});
const isDone = createPermissionRule({
  name: 'IS_DONE',
  description: 'Allow items that are done',
  resourceType: 'todo-item',
  apply: (item: { done: boolean }) => item.done,
  toQuery: (): TodoFilter => ({ done: true }),
});
// Rules written for Backstage's older API carry zod 3 schemas.
const hasTag = {
  name: 'HAS_TAG',
  description: 'Allow items with the tag',
  resourceType: 'todo-item',
  paramsSchema: z3.object({ tag: z3.string() }),
  apply: () => true,
  toQuery: ({ tag }: { tag: string }): TodoFilter => ({ tag }),
} as never;

describe('createConditionTransformer', () => {
  const transform = createConditionTransformer<TodoFilter>([
    isOwner,
    isDone,
    hasTag,
  ]);

  it('turns each condition into its rule query and keeps allOf, anyOf and not', () => {
    expect(
      transform({
        allOf: [
          {
            rule: 'IS_OWNER',
            resourceType: 'todo-item',
            params: { owners: ['user:default/a'] },
          },
          {
            not: {
              anyOf: [
                { rule: 'IS_DONE', resourceType: 'todo-item' },
                {
                  rule: 'HAS_TAG',
                  resourceType: 'todo-item',
                  params: { tag: 'x' },
                },
              ],
            },
          },
        ],
      }),
    ).toEqual({
      allOf: [
        { owners: ['user:default/a'] },
        { not: { anyOf: [{ done: true }, { tag: 'x' }] } },
      ],
    });
  });

  it('looks rules up in a ruleset', () => {
    const fromRuleset = createConditionTransformer<TodoFilter>({
      getRuleByName: name => {
        if (name !== 'IS_DONE') throw new Error(`no rule '${name}'`);
        return isDone as never;
      },
    });
    expect(fromRuleset({ rule: 'IS_DONE', resourceType: 'todo-item' })).toEqual(
      { done: true },
    );
    expect(() =>
      fromRuleset({ rule: 'IS_OWNER', resourceType: 'todo-item' }),
    ).toThrow(
      "A condition names permission rule 'IS_OWNER' of resource type 'todo-item', which is not among the rules given to createConditionTransformer(); check the policy's conditions, or pass the rule.",
    );
  });

  it('refuses a condition naming an unknown rule', () => {
    expect(() =>
      transform({ anyOf: [{ rule: 'IS_LATE', resourceType: 'todo-item' }] }),
    ).toThrow(
      "A condition names permission rule 'IS_LATE' of resource type 'todo-item', which is not among the rules given to createConditionTransformer(); check the policy's conditions, or pass the rule.",
    );
  });

  it('refuses parameters the rule schema rejects', () => {
    expect(() =>
      transform({
        rule: 'IS_OWNER',
        resourceType: 'todo-item',
        params: { owners: 'user:default/a' },
      }),
    ).toThrow(
      "The parameters of a condition on permission rule 'IS_OWNER' are invalid: owners: Invalid input: expected array, received string. Check the policy that made the condition.",
    );
  });

  it('refuses parameters a zod 3 schema rejects', () => {
    expect(() =>
      transform({ rule: 'HAS_TAG', resourceType: 'todo-item', params: {} }),
    ).toThrow(
      "The parameters of a condition on permission rule 'HAS_TAG' are invalid: tag: Required. Check the policy that made the condition.",
    );
  });
});
