import { createPermissionResourceRef } from '@plinth/plugin-permission-common';
import {
  createPermissionRule,
  makeCreatePermissionRule,
} from './createPermissionRule';

type Todo = { done: boolean };
type TodoFilter = { done: boolean };

describe('createPermissionRule', () => {
  it('creates a rule that names its resource type, as Backstage rules do', () => {
    const rule = createPermissionRule({
      name: 'IS_DONE',
      description: 'Allow items that are done',
      resourceType: 'todo-item',
      apply: (item: Todo) => item.done,
      toQuery: (): TodoFilter => ({ done: true }),
    });
    expect(rule.resourceType).toBe('todo-item');
    expect(rule.apply({ done: true }, undefined)).toBe(true);
    expect(rule.toQuery(undefined)).toEqual({ done: true });
  });

  it('creates a rule from a resource ref', () => {
    const ref = createPermissionResourceRef<Todo, TodoFilter>().with({
      pluginId: 'todo',
      resourceType: 'todo-item',
    });
    const rule = createPermissionRule({
      name: 'IS_DONE',
      description: 'Allow items that are done',
      resourceRef: ref,
      apply: item => item.done,
      toQuery: () => ({ done: true }),
    });
    expect(rule).toMatchObject({ name: 'IS_DONE', resourceType: 'todo-item' });
  });

  it('refuses a rule without a resource type', () => {
    expect(() =>
      createPermissionRule({
        name: 'IS_DONE',
        description: '',
        resourceType: '',
        apply: () => true,
        toQuery: () => ({}),
      }),
    ).toThrow(
      "createPermissionRule() needs a non-empty resourceType or a resourceRef for rule 'IS_DONE', got the string ''.",
    );
  });

  it('refuses a rule whose apply is not a function', () => {
    expect(() =>
      createPermissionRule({
        name: 'IS_DONE',
        description: '',
        resourceType: 'todo-item',
        apply: 'yes' as never,
        toQuery: () => ({}),
      }),
    ).toThrow(
      "createPermissionRule() got the string 'yes' as 'apply' of rule 'IS_DONE'; pass a function.",
    );
  });
});

describe('makeCreatePermissionRule', () => {
  it('creates rules bound to one resource type', () => {
    const createTodoRule = makeCreatePermissionRule<
      Todo,
      TodoFilter,
      'todo-item'
    >();
    const rule = createTodoRule({
      name: 'IS_DONE',
      description: 'Allow items that are done',
      resourceType: 'todo-item',
      apply: item => item.done,
      toQuery: () => ({ done: true }),
    });
    expect(rule.apply({ done: false }, undefined)).toBe(false);
  });
});
