import {
  AuthorizeResult,
  createPermission,
  createPermissionResourceRef,
} from '@plinth/plugin-permission-common';
import { z } from 'zod';
import { createConditionExports, createConditionFactory } from './conditions';
import { createPermissionRule } from './createPermissionRule';

type Todo = { owner: string; done: boolean };
type TodoFilter = { owners?: string[]; done?: boolean };

const todoRef = createPermissionResourceRef<Todo, TodoFilter>().with({
  pluginId: 'todo',
  resourceType: 'todo-item',
});
const isOwner = createPermissionRule({
  name: 'IS_OWNER',
  description: 'Allow items owned by one of the given refs',
  resourceRef: todoRef,
  paramsSchema: z.object({ owners: z.array(z.string()) }),
  apply: (item, { owners }) => owners.includes(item.owner),
  toQuery: ({ owners }) => ({ owners }),
});
const isDone = createPermissionRule({
  name: 'IS_DONE',
  description: 'Allow items that are done',
  resourceRef: todoRef,
  apply: item => item.done,
  toQuery: () => ({ done: true }),
});
const todoRead = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
  resourceType: 'todo-item',
});

describe('createConditionFactory', () => {
  it('makes a condition naming the rule, its resource type and the parameters', () => {
    expect(
      createConditionFactory(isOwner)({ owners: ['user:default/a'] }),
    ).toEqual({
      rule: 'IS_OWNER',
      resourceType: 'todo-item',
      params: { owners: ['user:default/a'] },
    });
  });

  it('leaves params out for a rule without parameters', () => {
    expect(createConditionFactory(isDone)(undefined)).toStrictEqual({
      rule: 'IS_DONE',
      resourceType: 'todo-item',
    });
  });
});

describe('createConditionExports', () => {
  it('offers one condition factory per rule key and wraps criteria in a conditional decision', () => {
    const { conditions, createConditionalDecision } = createConditionExports({
      pluginId: 'todo',
      resourceType: 'todo-item',
      rules: { isOwner, isDone },
    });
    const criteria = {
      anyOf: [
        conditions.isOwner({ owners: ['group:default/a'] }),
        conditions.isDone(),
      ],
    } as const;
    expect(
      createConditionalDecision(todoRead, {
        ...criteria,
        anyOf: [...criteria.anyOf],
      }),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'todo',
      resourceType: 'todo-item',
      conditions: {
        anyOf: [
          {
            rule: 'IS_OWNER',
            resourceType: 'todo-item',
            params: { owners: ['group:default/a'] },
          },
          { rule: 'IS_DONE', resourceType: 'todo-item' },
        ],
      },
    });
  });

  it('takes the plugin id and resource type from a resource ref', () => {
    const { createConditionalDecision } = createConditionExports({
      resourceRef: todoRef,
      rules: { isDone },
    });
    expect(
      createConditionalDecision(todoRead, {
        rule: 'IS_DONE',
        resourceType: 'todo-item',
      }),
    ).toMatchObject({
      pluginId: 'todo',
      resourceType: 'todo-item',
    });
  });

  it('refuses an empty plugin id', () => {
    expect(() =>
      createConditionExports({
        pluginId: '',
        resourceType: 'todo-item',
        rules: {},
      }),
    ).toThrow(
      "createConditionExports() needs a non-empty pluginId, got the string ''; pass { pluginId, resourceType, rules } or { resourceRef, rules }.",
    );
  });

  it('refuses a rule of another resource type', () => {
    expect(() =>
      createConditionExports({
        pluginId: 'todo',
        resourceType: 'todo-list',
        rules: { isDone } as never,
      }),
    ).toThrow(
      "createConditionExports() for resource type 'todo-list' got rule 'IS_DONE' (key 'isDone') of resource type 'todo-item'; pass only rules of 'todo-list'.",
    );
  });
});
