import { createFieldRuleChecker } from './createFieldRuleChecker';

describe('createFieldRuleChecker', () => {
  it('returns nothing for a value that passes its rule', () => {
    expect(
      createFieldRuleChecker()('isValidEntityName', 'metadata.name', 'foo'),
    ).toBeUndefined();
  });

  it('describes what a default rule demands', () => {
    expect(
      createFieldRuleChecker()('isValidNamespace', 'metadata.namespace', 'A'),
    ).toEqual({
      field: 'metadata.namespace',
      message:
        "'metadata.namespace' must be 1-63 characters of [a-z0-9], separated by [-], got a string of 1 character",
    });
  });

  it('uses a replaced rule and names it in the problem', () => {
    const check = createFieldRuleChecker({
      isValidEntityName: value =>
        typeof value === 'string' && value.length <= 100,
    });
    expect(check('isValidEntityName', 'metadata.name', 'a'.repeat(70))).toBe(
      undefined,
    );
    expect(check('isValidEntityName', 'metadata.name', 101)?.message).toBe(
      "'metadata.name' is rejected by the custom 'isValidEntityName' field validator, got an integer",
    );
  });

  it('keeps the default rules that are not replaced', () => {
    const check = createFieldRuleChecker({ isValidTag: () => true });
    expect(check('isValidKind', 'kind', '1x')?.message).toBe(
      "'kind' must be 1-63 characters of [a-zA-Z0-9] starting with a letter, e.g. 'Component', got a string of 2 characters",
    );
  });

  it('reports a rule that throws as a problem of the field', () => {
    const check = createFieldRuleChecker({
      isValidTag: () => {
        throw new Error('tag list unavailable');
      },
    });
    expect(check('isValidTag', 'metadata.tags[0]', 'java')?.message).toBe(
      "'metadata.tags[0]' could not be checked: the 'isValidTag' field validator threw \"tag list unavailable\", got a string of 4 characters",
    );
  });
});
