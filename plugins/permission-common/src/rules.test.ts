import { InputError } from '@plinth/errors';
import {
  AuthorizeResult,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  type PermissionCriteria,
} from './api';
import { createPermissionResourceRef, createPermissionRule } from './rules';

interface Todo {
  title: string;
  done: boolean;
}

const todoResourceRef = createPermissionResourceRef<
  Todo,
  { done: boolean }
>().with({ pluginId: 'todo', resourceType: 'todo-item' });

describe('createPermissionResourceRef', () => {
  it('names the plugin and resource type', () => {
    expect(todoResourceRef).toEqual({
      $$type: '@backstage/PermissionResourceRef',
      pluginId: 'todo',
      resourceType: 'todo-item',
    });
  });

  it('fails when a type carrier is read', () => {
    expect(() => todoResourceRef.TResource).toThrow(
      "'TResource' of a permission resource ref only carries a type; do not read it.",
    );
  });

  it('rejects a missing resource type', () => {
    expect(() =>
      createPermissionResourceRef().with({
        pluginId: 'todo',
        resourceType: '',
      }),
    ).toThrow(
      new InputError(
        "createPermissionResourceRef().with() needs a non-empty resourceType string, got the string ''.",
      ),
    );
  });
});

describe('createPermissionRule', () => {
  it('creates a rule for the resource type of the ref', () => {
    const isDone = createPermissionRule({
      name: 'IS_DONE',
      description: 'Allow todo items that are done',
      resourceRef: todoResourceRef,
      apply: (item: Todo) => item.done,
      toQuery: () => ({ done: true }),
    });
    expect(isDone).toEqual({
      name: 'IS_DONE',
      description: 'Allow todo items that are done',
      resourceType: 'todo-item',
      apply: expect.any(Function),
      toQuery: expect.any(Function),
    });
    expect(isDone.apply({ title: 'a', done: true }, undefined)).toBe(true);
  });

  it('rejects a rule without apply', () => {
    expect(() =>
      createPermissionRule({
        name: 'IS_DONE',
        description: '',
        resourceRef: todoResourceRef,
        apply: undefined as unknown as () => boolean,
        toQuery: () => ({ done: true }),
      }),
    ).toThrow(
      new InputError(
        "createPermissionRule() got undefined as 'apply' of rule 'IS_DONE'; pass a function.",
      ),
    );
  });
});

describe('the criteria checks', () => {
  it('tell allOf, anyOf and not apart from a condition', () => {
    const condition = { rule: 'IS_DONE', resourceType: 'todo-item' };
    const criteria: PermissionCriteria<typeof condition>[] = [
      { allOf: [condition] },
      { anyOf: [condition] },
      { not: condition },
      condition,
    ];
    expect(criteria.map(c => isAndCriteria(c))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(criteria.map(c => isOrCriteria(c))).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(criteria.map(c => isNotCriteria(c))).toEqual([
      false,
      false,
      true,
      false,
    ]);
  });
});

describe('AuthorizeResult', () => {
  it('uses the strings of the wire format', () => {
    expect(AuthorizeResult).toEqual({
      ALLOW: 'ALLOW',
      DENY: 'DENY',
      CONDITIONAL: 'CONDITIONAL',
    });
  });
});
