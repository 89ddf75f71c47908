import {
  createFieldRuleChecker,
  defaultFieldValidators,
  describeFieldValue,
  type FieldValidators,
} from './defaultFieldValidators';

const label63 = 'a'.repeat(63);
const subdomain253 = [
  'a'.repeat(63),
  'b'.repeat(63),
  'c'.repeat(63),
  'd'.repeat(61),
].join('.');

type Cases = Array<[keyof FieldValidators, unknown]>;

function casesOf(rules: Array<keyof FieldValidators>, values: unknown[]) {
  return rules.flatMap(rule => values.map(value => [rule, value])) as Cases;
}

const keyRules: Array<keyof FieldValidators> = [
  'isValidLabelKey',
  'isValidAnnotationKey',
];

const accepted: Cases = [
  ...casesOf(
    ['isValidApiVersion'],
    [
      'backstage.io/v1alpha1',
      'v1',
      'my-company.example.com/V2beta3',
      `${subdomain253}/v1`,
    ],
  ),
  ...casesOf(['isValidKind'], ['Component', 'API', 'x', `A${'b'.repeat(62)}`]),
  ...casesOf(
    ['isValidEntityName'],
    ['petstore', 'Pet_Store.v2-beta', 'a', label63, 'A1'],
  ),
  ...casesOf(['isValidNamespace'], ['default', 'team-a', '0', label63]),
  ...casesOf(keyRules, [
    'team',
    'backstage.io/managed-by-location',
    'Example.Key_1',
    `${subdomain253}/${label63}`,
  ]),
  ...casesOf(['isValidLabelValue'], ['', 'production', 'v1.2_3', label63]),
  ...casesOf(['isValidAnnotationValue'], ['', 'any text: / at all'.repeat(20)]),
  ...casesOf(
    ['isValidTag'],
    ['java', 'c++', 'c#', 'team:a', 'web-app', 'x'.repeat(63)],
  ),
];

const rejected: Cases = [
  ...casesOf(
    ['isValidApiVersion'],
    [
      '',
      'backstage.io/',
      '/v1',
      'a/b/c',
      'Backstage.io/v1',
      'backstage.io/v1-alpha',
      `${subdomain253}x/v1`,
      `backstage.io/${'v'.repeat(64)}`,
      42,
      undefined,
    ],
  ),
  ...casesOf(
    ['isValidKind'],
    ['', '1Component', 'My-Kind', `A${'b'.repeat(63)}`, null],
  ),
  ...casesOf(
    ['isValidEntityName'],
    ['', '-x', 'x-', 'a--b', 'a b', 'a/b', `${label63}a`, 7],
  ),
  ...casesOf(
    ['isValidNamespace'],
    ['', 'Default', 'team_a', 'a.b', '-a', `${label63}a`, {}],
  ),
  ...casesOf(keyRules, [
    '',
    'Foo!',
    '/name',
    'prefix/',
    'Backstage.io/name',
    'a/b/c',
    `${subdomain253}x/name`,
    `prefix/${label63}a`,
    1,
  ]),
  ...casesOf(['isValidLabelValue'], ['a b', '-a', `${label63}a`, true]),
  ...casesOf(['isValidAnnotationValue'], [1, null, ['a']]),
  ...casesOf(
    ['isValidTag'],
    ['', 'Java', 'web_app', '-web', 'web--app', 'x'.repeat(64), 3],
  ),
];

describe('defaultFieldValidators', () => {
  it.each(accepted)('%s accepts %p', (rule, value) => {
    expect(defaultFieldValidators[rule](value)).toBe(true);
  });

  it.each(rejected)('%s rejects %p', (rule, value) => {
    expect(defaultFieldValidators[rule](value)).toBe(false);
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(defaultFieldValidators)).toBe(true);
  });
});

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

describe('describeFieldValue', () => {
  it('describes strings by length and shape, not content', () => {
    expect(describeFieldValue('secret-value')).toBe(
      'a string of 12 characters',
    );
    expect(describeFieldValue('x')).toBe('a string of 1 character');
    expect(describeFieldValue('')).toBe('an empty string');
    expect(describeFieldValue('a\nb\n')).toBe(
      'a string of 4 characters on 3 lines with surrounding whitespace',
    );
    expect(describeFieldValue(' padded')).toBe(
      'a string of 7 characters with surrounding whitespace',
    );
  });

  it('describes numbers, booleans and null by type', () => {
    expect(describeFieldValue(42)).toBe('an integer');
    expect(describeFieldValue(4.2)).toBe('a number');
    expect(describeFieldValue(true)).toBe('a boolean');
    expect(describeFieldValue(null)).toBe('null');
    expect(describeFieldValue(undefined)).toBe('nothing');
  });

  it('describes arrays and objects by size, without their keys or items', () => {
    expect(describeFieldValue(['a', 'b'])).toBe('an array of 2 items');
    expect(describeFieldValue([])).toBe('an empty array');
    expect(describeFieldValue({ token: 'abc' })).toBe('an object of 1 key');
    expect(describeFieldValue({})).toBe('an empty object');
  });

  it('handles values JSON cannot hold', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeFieldValue(circular)).toBe('an object of 1 key');
    expect(describeFieldValue(() => 1)).toBe('a function');
  });
});
